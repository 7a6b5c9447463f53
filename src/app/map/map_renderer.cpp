#include "app/map/map_renderer.hpp"

#include "app/map/county_layer.hpp"
#include "app/embedded_app.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace terrane {

namespace {
std::string shaderText(const unsigned char* data, std::size_t size) { return std::string(reinterpret_cast<const char*>(data), size); }

template <class T> T readLE(const unsigned char*& p) {
    T v;
    std::memcpy(&v, p, sizeof(T));
    p += sizeof(T);
    return v;
}
} // namespace

MapRenderer::~MapRenderer() {
    for (Layer& l : m_layers) {
        glDeleteVertexArrays(1, &l.vao);
        glDeleteBuffers(1, &l.vbo);
        glDeleteBuffers(1, &l.ibo);
    }
    if (m_pointVao) glDeleteVertexArrays(1, &m_pointVao);
    if (m_pointVbo) glDeleteBuffers(1, &m_pointVbo);
    if (m_paletteTex) glDeleteTextures(1, &m_paletteTex);
    if (m_cacheFbo) glDeleteFramebuffers(1, &m_cacheFbo);
    if (m_cacheColor) glDeleteRenderbuffers(1, &m_cacheColor);
    if (m_cacheStencil) glDeleteRenderbuffers(1, &m_cacheStencil);
    if (m_offFbo) releaseOffscreen();
    if (m_fillProg) glDeleteProgram(m_fillProg);
    if (m_rasterProg) glDeleteProgram(m_rasterProg);
    if (m_rasterVao) glDeleteVertexArrays(1, &m_rasterVao);
    if (m_rasterVbo) glDeleteBuffers(1, &m_rasterVbo);
    if (m_rasterTex) glDeleteTextures(1, &m_rasterTex);
    if (m_pointProg) glDeleteProgram(m_pointProg);
}

GLuint MapRenderer::compile(const char* vsSrc, const char* fsSrc, const char* name) {
    auto stage = [&](GLenum type, const char* src) -> GLuint {
        GLuint s = glCreateShader(type);
        glShaderSource(s, 1, &src, nullptr);
        glCompileShader(s);
        GLint ok = 0;
        glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
        if (!ok) {
            char log[2048];
            glGetShaderInfoLog(s, sizeof log, nullptr, log);
            m_error = std::string(name) + (type == GL_VERTEX_SHADER ? " vertex" : " fragment") + " shader: " + log;
            glDeleteShader(s);
            return 0;
        }
        return s;
    };
    GLuint vs = stage(GL_VERTEX_SHADER, vsSrc);
    GLuint fs = vs ? stage(GL_FRAGMENT_SHADER, fsSrc) : 0;
    if (!vs || !fs) return 0;
    GLuint p = glCreateProgram();
    glAttachShader(p, vs);
    glAttachShader(p, fs);
    glLinkProgram(p);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[2048];
        glGetProgramInfoLog(p, sizeof log, nullptr, log);
        m_error = std::string(name) + " program: " + log;
        glDeleteProgram(p);
        return 0;
    }
    return p;
}

bool MapRenderer::init() {
    using namespace embedded;
    m_fillProg = compile(shaderText(kShader_fill_vert, kShader_fill_vertSize).c_str(),
                         shaderText(kShader_fill_frag, kShader_fill_fragSize).c_str(), "fill");
    if (!m_fillProg) return false;
    m_pointProg = compile(shaderText(kShader_points_vert, kShader_points_vertSize).c_str(),
                          shaderText(kShader_points_frag, kShader_points_fragSize).c_str(), "points");
    if (!m_pointProg) return false;
    m_rasterProg = compile(shaderText(kShader_raster_vert, kShader_raster_vertSize).c_str(),
                           shaderText(kShader_raster_frag, kShader_raster_fragSize).c_str(), "raster");
    if (!m_rasterProg) return false;
    if (!loadBasemap()) return false;
    static const float kUnit[] = {0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1};
    glGenVertexArrays(1, &m_rasterVao);
    glBindVertexArray(m_rasterVao);
    glGenBuffers(1, &m_rasterVbo);
    glBindBuffer(GL_ARRAY_BUFFER, m_rasterVbo);
    glBufferData(GL_ARRAY_BUFFER, sizeof kUnit, kUnit, GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    glBindVertexArray(0);
    glGenTextures(1, &m_rasterTex);
    glBindTexture(GL_TEXTURE_2D, m_rasterTex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);

    // Points: one sprite per account, its attributes read straight from the point buffer.
    glGenVertexArrays(1, &m_pointVao);
    glBindVertexArray(m_pointVao);
    glGenBuffers(1, &m_pointVbo);
    glBindBuffer(GL_ARRAY_BUFFER, m_pointVbo);
    const GLsizei stride = sizeof(PointInstance);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(PointInstance, x)));
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(PointInstance, size)));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 1, GL_UNSIGNED_SHORT, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(PointInstance, color)));
    glEnableVertexAttribArray(3);
    glVertexAttribPointer(3, 1, GL_UNSIGNED_BYTE, GL_FALSE, stride, reinterpret_cast<void*>(offsetof(PointInstance, flags)));
    glBindVertexArray(0);
    GLfloat sizeRange[2] = {1, 1};
    glGetFloatv(GL_ALIASED_POINT_SIZE_RANGE, sizeRange);
    m_maxPointSize = sizeRange[1] > 1 ? sizeRange[1] : 1;

    glGenTextures(1, &m_paletteTex);
    glBindTexture(GL_TEXTURE_2D, m_paletteTex);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    const Rgba8 grey{128, 128, 128, 255};
    setPalette(std::span<const Rgba8>(&grey, 1));
    return true;
}

bool MapRenderer::loadBasemap() {
    const unsigned char* p = embedded::kBasemapBin;
    const unsigned char* end = p + embedded::kBasemapBinSize;
    if (embedded::kBasemapBinSize < 8 || std::memcmp(p, "TBM1", 4) != 0) {
        m_error = "basemap asset is missing or damaged";
        return false;
    }
    p += 4;
    const auto layerCount = readLE<std::uint32_t>(p);
    for (std::uint32_t li = 0; li < layerCount; ++li) {
        if (end - p < 16) break;
        const auto kind = readLE<std::uint32_t>(p);
        const auto features = readLE<std::uint32_t>(p);
        const auto vertexCount = readLE<std::uint32_t>(p);
        const auto indexCount = readLE<std::uint32_t>(p);
        Layer l;
        for (std::uint32_t f = 0; f < features; ++f) {
            Feature feat;
            feat.id.assign(reinterpret_cast<const char*>(p + 1), *p);
            p += 1 + *p; // id
            p += 1 + *p; // name
            feat.first = static_cast<GLsizei>(readLE<std::uint32_t>(p));
            feat.count = static_cast<GLsizei>(readLE<std::uint32_t>(p));
            l.features.push_back(std::move(feat));
        }
        const std::size_t vbytes = std::size_t(vertexCount) * 2 * sizeof(float), ibytes = std::size_t(indexCount) * sizeof(std::uint32_t);
        if (static_cast<std::size_t>(end - p) < vbytes + ibytes) {
            m_error = "basemap asset is truncated";
            return false;
        }
        l.lines = kind == 1;
        l.indexCount = static_cast<GLsizei>(indexCount);
        glGenVertexArrays(1, &l.vao);
        glBindVertexArray(l.vao);
        glGenBuffers(1, &l.vbo);
        glBindBuffer(GL_ARRAY_BUFFER, l.vbo);
        glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vbytes), p, GL_STATIC_DRAW);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
        p += vbytes;
        glGenBuffers(1, &l.ibo);
        glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, l.ibo);
        glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(ibytes), p, GL_STATIC_DRAW);
        p += ibytes;
        glBindVertexArray(0);
        m_layers.push_back(std::move(l));
    }
    // Layer 2 holds the US states (see scripts/build_assets.mjs).
    if (m_layers.size() > 2)
        for (const Feature& f : m_layers[2].features) m_stateIds.push_back(f.id);
    m_stateColors.assign(m_stateIds.size(), Rgba8{0, 0, 0, 0});
    return true;
}

void MapRenderer::setPoints(std::span<const PointInstance> points) {
    glBindBuffer(GL_ARRAY_BUFFER, m_pointVbo);
    const auto bytes = static_cast<GLsizeiptr>(points.size_bytes());
    if (points.size() > m_pointCapacity || points.size() < m_pointCapacity / 4) {
        glBufferData(GL_ARRAY_BUFFER, bytes, points.data(), GL_DYNAMIC_DRAW);
        m_pointCapacity = points.size();
    } else {
        glBufferSubData(GL_ARRAY_BUFFER, 0, bytes, points.data());
    }
    m_pointCount = points.size();
    ++m_version;
}

void MapRenderer::setPalette(std::span<const Rgba8> colors) {
    glBindTexture(GL_TEXTURE_2D, m_paletteTex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, static_cast<GLsizei>(colors.size()), 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, colors.data());
    ++m_version;
}

void MapRenderer::setRaster(const std::vector<std::uint8_t>& rgba, int w, int h, double x0, double y0, double x1, double y1) {
    glBindTexture(GL_TEXTURE_2D, m_rasterTex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    m_rasterRect[0] = x0, m_rasterRect[1] = y0, m_rasterRect[2] = x1, m_rasterRect[3] = y1;
    m_hasRaster = w > 0 && h > 0;
    ++m_version;
}

void MapRenderer::setStateColors(const std::vector<std::pair<std::string, Rgba8>>& colors) {
    m_stateColors.assign(m_stateIds.size(), Rgba8{0, 0, 0, 0});
    for (const auto& [id, c] : colors)
        for (std::size_t i = 0; i < m_stateIds.size(); ++i)
            if (m_stateIds[i] == id) m_stateColors[i] = c;
    ++m_version;
}

void MapRenderer::setCamera(GLuint prog, const MapCamera& cam, const MapRect& rect) {
    glUniform2f(glGetUniformLocation(prog, "u_center"), static_cast<float>(cam.centerX), static_cast<float>(cam.centerY));
    glUniform1f(glGetUniformLocation(prog, "u_scale"), static_cast<float>(cam.scale));
    glUniform2f(glGetUniformLocation(prog, "u_viewport"), rect.w, rect.h);
}

std::string MapRenderer::cacheKey(const MapRect& rect, const MapColors& colors, const MapDrawOptions& opt) const {
    std::string k;
    const auto put = [&k](const auto& v) { k.append(reinterpret_cast<const char*>(&v), sizeof v); };
    put(m_version);
    put(static_cast<int>(rect.w)), put(static_cast<int>(rect.h));
    for (const float* c : {colors.background, colors.land, colors.landFocus, colors.countryBorder, colors.stateBorder, colors.selection})
        for (int i = 0; i < 4; ++i) put(c[i]);
    put(opt.raster), put(opt.clipRasterToLand), put(opt.rasterOpacity), put(opt.choropleth);
    put(opt.counties), put(opt.counties ? opt.counties->version() : 0);
    put(opt.pixelRatio), put(opt.pointScale);
    for (float h : opt.highlight) put(h);
    return k;
}

bool MapRenderer::ensureCacheTarget(int w, int h) {
    if (m_cacheBroken) return false;
    if (m_cacheFbo && w == m_cacheW && h == m_cacheH) return true;
    if (!m_cacheFbo) {
        glGenFramebuffers(1, &m_cacheFbo);
        glGenRenderbuffers(1, &m_cacheColor);
        glGenRenderbuffers(1, &m_cacheStencil);
    }
    glBindRenderbuffer(GL_RENDERBUFFER, m_cacheColor);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
    glBindRenderbuffer(GL_RENDERBUFFER, m_cacheStencil);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8, w, h);
    glBindFramebuffer(GL_FRAMEBUFFER, m_cacheFbo);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, m_cacheColor);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER, m_cacheStencil);
    const bool ok = glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    m_cacheW = w, m_cacheH = h;
    m_cacheKey.clear();
    if (!ok) m_cacheBroken = true;
    return ok;
}

bool MapRenderer::beginOffscreen(int w, int h) {
    if (m_offFbo) releaseOffscreen();
    GLint maxSize = 0;
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &maxSize);
    if (w > maxSize || h > maxSize) return false;
    glGenFramebuffers(1, &m_offFbo);
    glBindFramebuffer(GL_FRAMEBUFFER, m_offFbo);
    glGenRenderbuffers(1, &m_offColor);
    glBindRenderbuffer(GL_RENDERBUFFER, m_offColor);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, w, h);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, m_offColor);
    glGenRenderbuffers(1, &m_offStencil);
    glBindRenderbuffer(GL_RENDERBUFFER, m_offStencil);
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8, w, h);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER, m_offStencil);
    m_offW = w, m_offH = h;
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE) return true;
    releaseOffscreen();
    return false;
}

std::vector<std::uint8_t> MapRenderer::endOffscreen() {
    std::vector<std::uint8_t> rows;
    if (!m_offFbo) return rows;
    const std::size_t stride = static_cast<std::size_t>(m_offW) * 4;
    std::vector<std::uint8_t> pixels(stride * static_cast<std::size_t>(m_offH));
    glBindFramebuffer(GL_FRAMEBUFFER, m_offFbo);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, m_offW, m_offH, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    // GL rows run bottom-up.
    rows.resize(pixels.size());
    for (int y = 0; y < m_offH; ++y)
        std::copy_n(&pixels[static_cast<std::size_t>(m_offH - 1 - y) * stride], stride,
                    &rows[static_cast<std::size_t>(y) * stride]);
    for (std::size_t i = 3; i < rows.size(); i += 4) rows[i] = 255;
    releaseOffscreen();
    return rows;
}

void MapRenderer::releaseOffscreen() {
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDeleteRenderbuffers(1, &m_offColor);
    glDeleteRenderbuffers(1, &m_offStencil);
    glDeleteFramebuffers(1, &m_offFbo);
    m_offFbo = m_offColor = m_offStencil = 0;
    m_offW = m_offH = 0;
}

void MapRenderer::draw(const MapCamera& cam, const MapRect& rect, int framebufferHeight, const MapColors& colors,
                       const MapDrawOptions& opt) {
    if (rect.w < 1 || rect.h < 1) return;
    const GLint vx = static_cast<GLint>(rect.x), vy = static_cast<GLint>(static_cast<float>(framebufferHeight) - rect.y - rect.h);
    const auto w = static_cast<GLsizei>(rect.w), h = static_cast<GLsizei>(rect.h);
    if (opt.cache && ensureCacheTarget(w, h)) {
        // Draw into the offscreen image only when something it shows changed, then copy it to
        // the map's place on the screen (the page's framebuffer is not multisampled).
        std::string key = cacheKey(rect, colors, opt);
        const bool sameCamera = cam.centerX == m_cacheCam.centerX && cam.centerY == m_cacheCam.centerY && cam.scale == m_cacheCam.scale;
        if (key == m_cacheKey && !sameCamera && opt.interim && drawMoved(cam, rect, colors, vx, vy)) {
            ++m_interimDraws;
            return;
        }
        if (key != m_cacheKey || !sameCamera) {
            glBindFramebuffer(GL_FRAMEBUFFER, m_cacheFbo);
            glViewport(0, 0, w, h);
            glEnable(GL_SCISSOR_TEST);
            glScissor(0, 0, w, h);
            drawLayers(cam, rect, colors, opt, 0, 0);
            m_cacheKey = std::move(key);
            m_cacheCam = cam;
            m_cacheVersion = m_version;
            ++m_fullDraws;
        } else {
            ++m_cachedDraws;
        }
        glBindFramebuffer(GL_READ_FRAMEBUFFER, m_cacheFbo);
        glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
        glBlitFramebuffer(0, 0, w, h, vx, vy, vx + w, vy + h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        return;
    }
    glViewport(vx, vy, w, h);
    glEnable(GL_SCISSOR_TEST);
    glScissor(vx, vy, w, h);
    drawLayers(cam, rect, colors, opt, vx, vy);
    ++m_fullDraws;
}

bool MapRenderer::drawMoved(const MapCamera& cam, const MapRect& rect, const MapColors& colors, GLint vx, GLint vy) {
    const double k = cam.scale / m_cacheCam.scale;
    if (!(k > 0.125 && k < 8.0)) return false;
    const double w = rect.w, h = rect.h;
    // The cached image's edges in the map rect's pixels (top-left origin) under `cam`.
    const double left = (m_cacheCam.centerX - w / (2 * m_cacheCam.scale) - cam.centerX) * cam.scale + w / 2;
    const double top = (m_cacheCam.centerY - h / (2 * m_cacheCam.scale) - cam.centerY) * cam.scale + h / 2;
    const double right = left + w * k, bottom = top + h * k;
    // Moved far past the rect: nothing of the image would show.
    if (right < 0 || bottom < 0 || left > w || top > h) return false;
    const auto px = [](double v) { return static_cast<GLint>(std::lround(v)); };
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
    glEnable(GL_SCISSOR_TEST);
    glScissor(vx, vy, static_cast<GLsizei>(w), static_cast<GLsizei>(h));
    glClearColor(colors.background[0], colors.background[1], colors.background[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, m_cacheFbo);
    // GL rows run bottom-up: the image's top edge lands `top` pixels below the rect's top.
    glBlitFramebuffer(0, 0, static_cast<GLint>(w), static_cast<GLint>(h), vx + px(left), vy + px(h - bottom), vx + px(right),
                      vy + px(h - top), GL_COLOR_BUFFER_BIT, k == 1.0 ? GL_NEAREST : GL_LINEAR);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glDisable(GL_SCISSOR_TEST);
    return true;
}

// The map's layers into the current framebuffer, viewport (at vx, vy) and scissor set by the caller.
void MapRenderer::drawLayers(const MapCamera& cam, const MapRect& rect, const MapColors& colors, const MapDrawOptions& opt, GLint vx,
                             GLint vy) {
    glClearColor(colors.background[0], colors.background[1], colors.background[2], 1.0f);
    glClearStencil(0);
    glClear(GL_COLOR_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);

    // Land fills also mark the stencil, so area layers can be clipped to land.
    glEnable(GL_STENCIL_TEST);
    glStencilFunc(GL_ALWAYS, 1, 0xFF);
    glStencilOp(GL_KEEP, GL_KEEP, GL_REPLACE);
    glUseProgram(m_fillProg);
    setCamera(m_fillProg, cam, rect);
    const GLint colorLoc = glGetUniformLocation(m_fillProg, "u_color");
    const float* layerColor[] = {colors.land, colors.countryBorder, colors.landFocus, colors.stateBorder};
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        const Layer& l = m_layers[i];
        if (l.lines) continue;
        const float* c = layerColor[i < 4 ? i : 0];
        glUniform4f(colorLoc, c[0], c[1], c[2], c[3]);
        glBindVertexArray(l.vao);
        glDrawElements(GL_TRIANGLES, l.indexCount, GL_UNSIGNED_INT, nullptr);
        if (i == 2 && opt.choropleth) {
            for (std::size_t f = 0; f < l.features.size() && f < m_stateColors.size(); ++f) {
                const Rgba8 sc = m_stateColors[f];
                if (sc.a == 0) continue;
                glUniform4f(colorLoc, sc.r / 255.0f, sc.g / 255.0f, sc.b / 255.0f, sc.a / 255.0f);
                glDrawElements(GL_TRIANGLES, l.features[f].count, GL_UNSIGNED_INT,
                               reinterpret_cast<void*>(static_cast<std::uintptr_t>(l.features[f].first) * sizeof(std::uint32_t)));
            }
        }
    }
    glStencilOp(GL_KEEP, GL_KEEP, GL_KEEP);
    if (opt.counties) {
        glDisable(GL_STENCIL_TEST);
        opt.counties->draw(cam, rect, colors.stateBorder);
        glEnable(GL_STENCIL_TEST);
    }
    if (opt.raster && m_hasRaster) {
        glStencilFunc(opt.clipRasterToLand ? GL_EQUAL : GL_ALWAYS, 1, 0xFF);
        glUseProgram(m_rasterProg);
        setCamera(m_rasterProg, cam, rect);
        glUniform4f(glGetUniformLocation(m_rasterProg, "u_world"), static_cast<float>(m_rasterRect[0]), static_cast<float>(m_rasterRect[1]),
                    static_cast<float>(m_rasterRect[2]), static_cast<float>(m_rasterRect[3]));
        glUniform1f(glGetUniformLocation(m_rasterProg, "u_opacity"), opt.rasterOpacity);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, m_rasterTex);
        glUniform1i(glGetUniformLocation(m_rasterProg, "u_tex"), 0);
        glBindVertexArray(m_rasterVao);
        glDrawArrays(GL_TRIANGLES, 0, 6);
    }
    glDisable(GL_STENCIL_TEST);

    glUseProgram(m_fillProg);
    for (std::size_t i = 0; i < m_layers.size(); ++i) {
        const Layer& l = m_layers[i];
        if (!l.lines) continue;
        const float* c = layerColor[i < 4 ? i : 0];
        glUniform4f(colorLoc, c[0], c[1], c[2], c[3]);
        glBindVertexArray(l.vao);
        glDrawElements(GL_LINES, l.indexCount, GL_UNSIGNED_INT, nullptr);
    }

    if (m_pointCount > 0) {
        // A point is clipped by its centre, so the viewport reaches past the map rect by the largest
        // sprite's radius (the scissor still holds drawing to the rect): points just outside the
        // rect keep the part of their disc that shows, and do not pop in and out while panning.
        const float maxSize = std::min(m_maxPointSize, 256.0f);
        const auto pad = static_cast<GLint>(std::ceil(0.5f * maxSize));
        const MapRect padded{rect.x - static_cast<float>(pad), rect.y - static_cast<float>(pad), rect.w + 2.0f * static_cast<float>(pad),
                             rect.h + 2.0f * static_cast<float>(pad)};
        glViewport(vx - pad, vy - pad, static_cast<GLsizei>(rect.w) + 2 * pad, static_cast<GLsizei>(rect.h) + 2 * pad);
        glUseProgram(m_pointProg);
        setCamera(m_pointProg, cam, padded);
        glUniform1f(glGetUniformLocation(m_pointProg, "u_maxPointSize"), maxSize);
        glUniform1f(glGetUniformLocation(m_pointProg, "u_pixelRatio"), opt.pixelRatio);
        glUniform1f(glGetUniformLocation(m_pointProg, "u_sizeScale"), opt.pointScale);
        glUniform4f(glGetUniformLocation(m_pointProg, "u_selectColor"), colors.selection[0], colors.selection[1], colors.selection[2], 1.0f);
        glUniform4f(glGetUniformLocation(m_pointProg, "u_highlightColor"), opt.highlight[0], opt.highlight[1], opt.highlight[2], 1.0f);
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, m_paletteTex);
        glUniform1i(glGetUniformLocation(m_pointProg, "u_palette"), 0);
        glBindVertexArray(m_pointVao);
        glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(m_pointCount));
        glViewport(vx, vy, static_cast<GLsizei>(rect.w), static_cast<GLsizei>(rect.h));
    }
    glBindVertexArray(0);
    glDisable(GL_SCISSOR_TEST);
}

} // namespace terrane
