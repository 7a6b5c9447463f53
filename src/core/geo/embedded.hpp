// Data compiled into the binary at build time (see scripts/embed.mjs and CMakeLists.txt).
#pragma once

#include <cstddef>

namespace terrane::embedded {

// The gazetteer text written by scripts/build_assets.mjs (geo.tsv).
extern const unsigned char kGeoTsv[];
extern const std::size_t kGeoTsvSize;

} // namespace terrane::embedded
