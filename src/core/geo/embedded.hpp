// The gazetteer's text (geo.tsv, written by scripts/build_assets.mjs). The CLI, the tests and the
// benches link it compiled in (scripts/embed.mjs → terrane_geodata); the page loads it as a site
// file next to the wasm, so it is not part of what the first frame downloads, and defines this
// function over those bytes (src/platform/web_main.cpp). Empty while the bytes are not there.
#pragma once

#include <string_view>

namespace terrane::embedded {

std::string_view kGeoTsvView();

} // namespace terrane::embedded
