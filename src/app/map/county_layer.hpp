// US counties for the county choropleth and the borders shown zoomed in: shapes from the
// build-time asset counties.bin (us-atlas, simplified), a file of the site the page loads after
// the first frame (not in the wasm), triangulated on first use, one draw for the fills (colour
// per vertex) and one for the borders.
#pragma once

#include "app/map/gl.hpp"
#include "app/map/map_renderer.hpp"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace terrane {

class CountyLayer {
  public:
    ~CountyLayer();
    // Starts loading the shapes' file (the map calls it after its first frame).
    void prefetch();
    // Parses and triangulates the counties and uploads them; false while the file is on its way
    // (asked for here if it was not) and when it is missing or damaged.
    bool ensureLoaded();
    bool loaded() const { return m_loaded; }
    // Fill colours by 5-digit FIPS code; counties not listed are transparent.
    void setColors(const std::unordered_map<std::uint32_t, Rgba8>& byFips);
    void draw(const MapCamera& cam, const MapRect& rect, const float borderColor[4]);
    std::size_t countyCount() const { return m_fips.size(); }
    // Changes whenever what draw() shows changes (shapes loaded, colours set).
    std::uint64_t version() const { return m_version; }

  private:
    static constexpr const char* kAsset = "counties.bin";
    bool m_loaded = false, m_failed = false;
    std::uint64_t m_version = 0;
    GLuint m_fillProg = 0, m_lineProg = 0;
    GLuint m_vao = 0, m_vbo = 0, m_cbo = 0, m_ibo = 0, m_lineVao = 0, m_lineVbo = 0, m_lineIbo = 0;
    GLsizei m_indexCount = 0, m_lineIndexCount = 0;
    std::vector<std::uint32_t> m_fips;                       // per county
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_vertexRange; // per county: first vertex, count
    std::size_t m_vertexCount = 0;
};

} // namespace terrane
