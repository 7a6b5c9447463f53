// Territory colours: a categorical palette assigned so that neighbouring territories differ.
#pragma once

#include "app/ui_state.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace terrane {

struct Rgba8 {
    std::uint8_t r, g, b, a;
    bool operator==(const Rgba8&) const = default;
};

// Palette entries for territories whose centres (any planar units) are given; neighbours (the six
// nearest centres) get different entries where the palette allows. `fixed` (empty, or one per
// centre): entries to keep, -1 where one is to be chosen; the others are chosen around them, so
// territories keep their colour while others are added or change shape. Deterministic.
std::vector<int> territoryColorSlots(const std::vector<std::array<double, 2>>& centres, const std::vector<int>& fixed = {});
Rgba8 territoryPaletteColor(int slot, Theme theme);
// territoryColorSlots() with nothing fixed, as colours.
std::vector<Rgba8> territoryColors(const std::vector<std::array<double, 2>>& centres, Theme theme);
// Colour for accounts without a territory.
Rgba8 unassignedColor(Theme theme);

} // namespace terrane
