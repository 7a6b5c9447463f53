// GPU drawing of the map: basemap fills and borders, instanced account points.
#pragma once

#include "app/gl.hpp"
#include "app/palette.hpp"
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
    std::uint8_t flags;  // 1 selected, 2 dimmed, 4 highlighted
    std::uint8_t pad;
};
static_assert(sizeof(PointInstance) == 16);

struct MapRect {
    float x, y, w, h; // framebuffer pixels, origin top-left
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
    void draw(const MapCamera& cam, const MapRect& rect, int framebufferHeight, const MapColors& colors, float pixelRatio,
              float pointScale);
    std::size_t pointCount() const { return m_pointCount; }

  private:
    struct Layer {
        GLuint vao = 0, vbo = 0, ibo = 0;
        GLsizei indexCount = 0;
        bool lines = false;
    };
    GLuint compile(const char* vs, const char* fs, const char* name);
    bool loadBasemap();
    void setCamera(GLuint prog, const MapCamera& cam, const MapRect& rect);

    std::string m_error;
    GLuint m_fillProg = 0, m_pointProg = 0;
    std::vector<Layer> m_layers;
    GLuint m_pointVao = 0, m_quadVbo = 0, m_instanceVbo = 0, m_paletteTex = 0;
    std::size_t m_pointCount = 0, m_pointCapacity = 0;
};

} // namespace terrane
