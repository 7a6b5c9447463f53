#include "app/map/county_layer.hpp"

#include "app/embedded_app.hpp"
#include "platform/platform.hpp"
#include "core/geo/triangulate.hpp"

#include <cstring>
#include <string>

namespace terrane {

namespace {
template <class T> bool read(const unsigned char*& p, const unsigned char* end, T& v) {
    if (static_cast<std::size_t>(end - p) < sizeof(T)) return false;
    std::memcpy(&v, p, sizeof(T));
    p += sizeof(T);
    return true;
}

GLuint program(const unsigned char* vs, std::size_t vsn, const unsigned char* fs, std::size_t fsn) {
    auto stage = [](GLenum type, const unsigned char* src, std::size_t n) {
        const std::string text(reinterpret_cast<const char*>(src), n);
        const char* c = text.c_str();
        GLuint s = glCreateShader(type);
        glShaderSource(s, 1, &c, nullptr);
        glCompileShader(s);
        GLint ok = 0;
        glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
        return ok ? s : 0u;
    };
    const GLuint v = stage(GL_VERTEX_SHADER, vs, vsn), f = stage(GL_FRAGMENT_SHADER, fs, fsn);
    if (!v || !f) return 0;
    const GLuint p = glCreateProgram();
    glAttachShader(p, v);
    glAttachShader(p, f);
    glLinkProgram(p);
    glDeleteShader(v);
    glDeleteShader(f);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    return ok ? p : 0u;
}
} // namespace

CountyLayer::~CountyLayer() {
    for (GLuint b : {m_vbo, m_cbo, m_ibo, m_lineVbo, m_lineIbo})
        if (b) glDeleteBuffers(1, &b);
    for (GLuint a : {m_vao, m_lineVao})
        if (a) glDeleteVertexArrays(1, &a);
    if (m_fillProg) glDeleteProgram(m_fillProg);
    if (m_lineProg) glDeleteProgram(m_lineProg);
}

void CountyLayer::prefetch() { platform::requestAsset(kAsset); }

bool CountyLayer::ensureLoaded() {
    if (m_loaded || m_failed) return m_loaded;
    const std::string_view bin = platform::assetBytes(kAsset);
    if (bin.empty()) {
        if (platform::assetFailed(kAsset)) m_failed = true;
        else platform::requestAsset(kAsset);
        return false;
    }
    m_failed = true;
    using namespace embedded;
    const auto* p = reinterpret_cast<const unsigned char*>(bin.data());
    const unsigned char* end = p + bin.size();
    if (bin.size() < 40 || std::memcmp(p, "TCO1", 4) != 0) return false;
    p += 4;
    double box[4];
    for (double& b : box)
        if (!read(p, end, b)) return false;
    std::uint32_t arcCount = 0;
    if (!read(p, end, arcCount)) return false;
    std::vector<std::vector<Point2>> arcs(arcCount);
    for (auto& arc : arcs) {
        std::uint32_t n = 0;
        if (!read(p, end, n) || static_cast<std::size_t>(end - p) < std::size_t(n) * 4) return false;
        arc.resize(n);
        for (auto& pt : arc) {
            std::uint16_t qx, qy;
            read(p, end, qx), read(p, end, qy);
            pt = {box[0] + (box[2] - box[0]) * qx / 65535.0, box[1] + (box[3] - box[1]) * qy / 65535.0};
        }
    }
    std::uint32_t counties = 0;
    if (!read(p, end, counties)) return false;
    std::vector<float> verts;
    std::vector<std::uint32_t> tris;
    std::vector<Point2> ring;
    for (std::uint32_t c = 0; c < counties; ++c) {
        std::uint32_t fips = 0;
        std::uint16_t rings = 0;
        if (!read(p, end, fips) || !read(p, end, rings)) return false;
        const auto first = static_cast<std::uint32_t>(verts.size() / 2);
        for (std::uint16_t r = 0; r < rings; ++r) {
            std::uint16_t refs = 0;
            if (!read(p, end, refs)) return false;
            ring.clear();
            for (std::uint16_t k = 0; k < refs; ++k) {
                std::int32_t ref = 0;
                if (!read(p, end, ref)) return false;
                const std::uint32_t a = ref >= 0 ? static_cast<std::uint32_t>(ref) : static_cast<std::uint32_t>(~ref);
                if (a >= arcs.size()) return false;
                const auto& arc = arcs[a];
                for (std::size_t i = 0; i < arc.size(); ++i) {
                    const Point2& pt = ref >= 0 ? arc[i] : arc[arc.size() - 1 - i];
                    if (i == 0 && !ring.empty()) continue; // shared endpoint
                    ring.push_back(pt);
                }
            }
            const auto base = static_cast<std::uint32_t>(verts.size() / 2);
            for (const Point2& pt : ring) verts.push_back(static_cast<float>(pt.x)), verts.push_back(static_cast<float>(pt.y));
            triangulateRing(ring, base, tris);
        }
        m_fips.push_back(fips);
        m_vertexRange.emplace_back(first, static_cast<std::uint32_t>(verts.size() / 2) - first);
    }
    m_vertexCount = verts.size() / 2;
    // Borders: every arc once, as line segments.
    std::vector<float> lineVerts;
    std::vector<std::uint32_t> lineIdx;
    for (const auto& arc : arcs) {
        const auto base = static_cast<std::uint32_t>(lineVerts.size() / 2);
        for (const Point2& pt : arc) lineVerts.push_back(static_cast<float>(pt.x)), lineVerts.push_back(static_cast<float>(pt.y));
        for (std::uint32_t i = 0; i + 1 < arc.size(); ++i) lineIdx.push_back(base + i), lineIdx.push_back(base + i + 1);
    }
    m_fillProg = program(kShader_choropleth_vert, kShader_choropleth_vertSize, kShader_choropleth_frag, kShader_choropleth_fragSize);
    m_lineProg = program(kShader_fill_vert, kShader_fill_vertSize, kShader_fill_frag, kShader_fill_fragSize);
    if (!m_fillProg || !m_lineProg) return false;
    glGenVertexArrays(1, &m_vao);
    glBindVertexArray(m_vao);
    glGenBuffers(1, &m_vbo);
    glBindBuffer(GL_ARRAY_BUFFER, m_vbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(verts.size() * sizeof(float)), verts.data(), GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    glGenBuffers(1, &m_cbo);
    glBindBuffer(GL_ARRAY_BUFFER, m_cbo);
    const std::vector<std::uint8_t> clear(m_vertexCount * 4, 0);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(clear.size()), clear.data(), GL_DYNAMIC_DRAW);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, 0, nullptr);
    glGenBuffers(1, &m_ibo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, m_ibo);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(tris.size() * sizeof(std::uint32_t)), tris.data(), GL_STATIC_DRAW);
    m_indexCount = static_cast<GLsizei>(tris.size());
    glGenVertexArrays(1, &m_lineVao);
    glBindVertexArray(m_lineVao);
    glGenBuffers(1, &m_lineVbo);
    glBindBuffer(GL_ARRAY_BUFFER, m_lineVbo);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(lineVerts.size() * sizeof(float)), lineVerts.data(), GL_STATIC_DRAW);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
    glGenBuffers(1, &m_lineIbo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, m_lineIbo);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(lineIdx.size() * sizeof(std::uint32_t)), lineIdx.data(), GL_STATIC_DRAW);
    m_lineIndexCount = static_cast<GLsizei>(lineIdx.size());
    glBindVertexArray(0);
    m_loaded = true;
    m_failed = false;
    ++m_version;
    return true;
}

void CountyLayer::setColors(const std::unordered_map<std::uint32_t, Rgba8>& byFips) {
    if (!m_loaded) return;
    ++m_version;
    std::vector<Rgba8> colors(m_vertexCount, Rgba8{0, 0, 0, 0});
    for (std::size_t c = 0; c < m_fips.size(); ++c) {
        auto it = byFips.find(m_fips[c]);
        if (it == byFips.end()) continue;
        const auto [first, count] = m_vertexRange[c];
        for (std::uint32_t v = first; v < first + count; ++v) colors[v] = it->second;
    }
    glBindBuffer(GL_ARRAY_BUFFER, m_cbo);
    glBufferSubData(GL_ARRAY_BUFFER, 0, static_cast<GLsizeiptr>(colors.size() * sizeof(Rgba8)), colors.data());
}

void CountyLayer::draw(const MapCamera& cam, const MapRect& rect, const float borderColor[4]) {
    if (!m_loaded) return;
    for (GLuint prog : {m_fillProg, m_lineProg}) {
        glUseProgram(prog);
        glUniform2f(glGetUniformLocation(prog, "u_center"), static_cast<float>(cam.centerX), static_cast<float>(cam.centerY));
        glUniform1f(glGetUniformLocation(prog, "u_scale"), static_cast<float>(cam.scale));
        glUniform2f(glGetUniformLocation(prog, "u_viewport"), rect.w, rect.h);
        if (prog == m_fillProg) {
            glBindVertexArray(m_vao);
            glDrawElements(GL_TRIANGLES, m_indexCount, GL_UNSIGNED_INT, nullptr);
        } else {
            glUniform4f(glGetUniformLocation(prog, "u_color"), borderColor[0], borderColor[1], borderColor[2], borderColor[3] * 0.6f);
            glBindVertexArray(m_lineVao);
            glDrawElements(GL_LINES, m_lineIndexCount, GL_UNSIGNED_INT, nullptr);
        }
    }
    glBindVertexArray(0);
}

} // namespace terrane
