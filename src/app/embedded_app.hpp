// Assets compiled into the page (scripts/embed.mjs): basemap, fonts, shaders.
#pragma once

#include <cstddef>

namespace terrane::embedded {

extern const unsigned char kBasemapBin[];
extern const std::size_t kBasemapBinSize;
extern const unsigned char kShader_choropleth_vert[];
extern const std::size_t kShader_choropleth_vertSize;
extern const unsigned char kShader_choropleth_frag[];
extern const std::size_t kShader_choropleth_fragSize;
extern const unsigned char kFontRegular[];
extern const std::size_t kFontRegularSize;
extern const unsigned char kFontSemiBold[];
extern const std::size_t kFontSemiBoldSize;
extern const unsigned char kShader_points_vert[];
extern const std::size_t kShader_points_vertSize;
extern const unsigned char kShader_points_frag[];
extern const std::size_t kShader_points_fragSize;
extern const unsigned char kShader_fill_vert[];
extern const std::size_t kShader_fill_vertSize;
extern const unsigned char kShader_fill_frag[];
extern const std::size_t kShader_fill_fragSize;
extern const unsigned char kShader_raster_vert[];
extern const std::size_t kShader_raster_vertSize;
extern const unsigned char kShader_raster_frag[];
extern const std::size_t kShader_raster_fragSize;

} // namespace terrane::embedded
