// Territory colours: a categorical palette assigned so that neighbouring territories differ.
#pragma once

#include "app/ui_state.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace terrane {

struct Rgba8 {
    std::uint8_t r, g, b, a;
};

// Colours for territories whose centres (any planar units) are given; neighbours (the six
// nearest centres) get different palette entries where the palette allows. Deterministic.
std::vector<Rgba8> territoryColors(const std::vector<std::array<double, 2>>& centres, Theme theme);
// Colour for accounts without a territory.
Rgba8 unassignedColor(Theme theme);

} // namespace terrane
