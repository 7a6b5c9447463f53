// GPU drawing of the map: basemap fills and borders, instanced account points.
#pragma once

#include "app/map/gl.hpp"
#include "app/map/palette.hpp"
#include "app/theme.hpp"
#include "app/ui_state.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace terrane {

struct PointInstance {
    float x, y;          // Web Mercator
    float size;          // diameter in CSS pixels
    std::uint16_t color; // palette index
    std::uint8_t flags;  // 1 selected, 2 dimmed, 4 highlighted, 8 locked, 16 finding, 32 hollow (coarse place)
    std::uint8_t pad;
};
static_assert(sizeof(PointInstance) == 16);

struct MapRect {
    float x, y, w, h; // framebuffer pixels, origin top-left
};

// What to draw besides the basemap and the points.
struct MapDrawOptions {
    bool raster = false;       // the area texture set by setRaster()
    bool clipRasterToLand = true;
    float rasterOpacity = 0.35f;
    bool choropleth = false;   // US states filled with setStateColors()
    class CountyLayer* counties = nullptr; // drawn over the land when set
    float pixelRatio = 1.0f;
    float pointScale = 1.0f;
    float highlight[4] = {0.98f, 0.75f, 0.14f, 1.0f};
    // Keep the drawn map in an offscreen image and copy it while nothing it shows has changed
    // (camera, view size, points, palette, areas, options, colours): with 100k-1M points, frames
    // where only the panels change cost a copy instead of the whole map.
    bool cache = false;
    // The camera is moving and a full draw is slow (no GPU): while only the camera differs from
    // the cached image's, show that image moved and scaled to the camera instead of drawing; the
    // caller asks for a full draw once the camera rests. Needs `cache`.
    bool interim = false;
};

class MapRenderer {
  public:
    MapRenderer() = default;
    MapRenderer(const MapRenderer&) = delete;
    MapRenderer& operator=(const MapRenderer&) = delete;
    ~MapRenderer();

    // Compiles shaders and uploads the basemap; false with `error()` set on failure.
    bool init();
    const std::string& error() const { return m_error; }

    void setPoints(std::span<const PointInstance> points);
    void setPalette(std::span<const Rgba8> colors);
    // An RGBA8 (straight alpha) image covering the world rectangle x0,y0 - x1,y1.
    void setRaster(const std::vector<std::uint8_t>& rgba, int w, int h, double x0, double y0, double x1, double y1);
    // US state fill colours by state code ("CA"); states not listed get the land colour.
    void setStateColors(const std::vector<std::pair<std::string, Rgba8>>& colors);
    // Codes of the US state features in the basemap.
    const std::vector<std::string>& stateIds() const { return m_stateIds; }
    void draw(const MapCamera& cam, const MapRect& rect, int framebufferHeight, const MapColors& colors, const MapDrawOptions& opt);
    std::size_t pointCount() const { return m_pointCount; }
    // Frames drawn in full and frames copied from the cached image (since start).
    std::uint64_t fullDraws() const { return m_fullDraws; }
    std::uint64_t cachedDraws() const { return m_cachedDraws; }
    // Frames that showed the cached image moved to a moving camera (MapDrawOptions::interim).
    std::uint64_t interimDraws() const { return m_interimDraws; }
    // Drops the cached image (the next draw is a full one).
    void invalidate() { ++m_version; }
    // The cached image shows the current points, palette and areas (only the camera or the view
    // options may differ): it can stand in while the camera moves.
    bool imageCurrent() const { return !m_cacheKey.empty() && m_cacheVersion == m_version; }

    // Sends drawing to an offscreen w x h RGBA target with depth and stencil (for an export; draw
    // into it with rect {0, 0, w, h} and framebuffer height h). False when
    // the size is over the GL limit or the target is incomplete (the default framebuffer bound).
    bool beginOffscreen(int w, int h);
    // Reads the offscreen target back as RGBA rows top-down, opaque, then frees it and binds the
    // default framebuffer again; empty when no target was begun.
    std::vector<std::uint8_t> endOffscreen();

  private:
    struct Feature {
        std::string id;
        GLsizei first = 0, count = 0;
    };
    struct Layer {
        GLuint vao = 0, vbo = 0, ibo = 0;
        GLsizei indexCount = 0;
        bool lines = false;
        std::vector<Feature> features;
    };
    GLuint compile(const char* vs, const char* fs, const char* name);
    bool loadBasemap();
    void setCamera(GLuint prog, const MapCamera& cam, const MapRect& rect);
    void drawLayers(const MapCamera& cam, const MapRect& rect, const MapColors& colors, const MapDrawOptions& opt, GLint vx, GLint vy);
    // Everything the cached image shows but the camera, which is kept beside it.
    std::string cacheKey(const MapRect& rect, const MapColors& colors, const MapDrawOptions& opt) const;
    // Shows the cached image moved and scaled from its camera to `cam`; false when the two are
    // too far apart in scale for the image to stand in.
    bool drawMoved(const MapCamera& cam, const MapRect& rect, const MapColors& colors, GLint vx, GLint vy);
    bool ensureCacheTarget(int w, int h);
    void releaseOffscreen();

    std::string m_error;
    GLuint m_fillProg = 0, m_pointProg = 0, m_rasterProg = 0;
    GLuint m_rasterVao = 0, m_rasterVbo = 0, m_rasterTex = 0;
    double m_rasterRect[4] = {0, 0, 0, 0};
    bool m_hasRaster = false;
    std::vector<std::string> m_stateIds;
    std::vector<Rgba8> m_stateColors; // per feature of the states layer; alpha 0 = land colour
    std::vector<Layer> m_layers;
    GLuint m_pointVao = 0, m_pointVbo = 0, m_paletteTex = 0;
    float m_maxPointSize = 64; // GL_ALIASED_POINT_SIZE_RANGE's upper end
    std::size_t m_pointCount = 0, m_pointCapacity = 0;
    // The cached map image: content version (bumped by every set*), its target and its key.
    std::uint64_t m_version = 1;
    GLuint m_cacheFbo = 0, m_cacheColor = 0, m_cacheStencil = 0;
    int m_cacheW = 0, m_cacheH = 0;
    bool m_cacheBroken = false; // the offscreen target was refused: draw directly
    std::string m_cacheKey;
    MapCamera m_cacheCam;
    std::uint64_t m_cacheVersion = 0;
    std::uint64_t m_fullDraws = 0, m_cachedDraws = 0, m_interimDraws = 0;
    // The target between beginOffscreen() and endOffscreen().
    GLuint m_offFbo = 0, m_offColor = 0, m_offStencil = 0;
    int m_offW = 0, m_offH = 0;
};

} // namespace terrane
