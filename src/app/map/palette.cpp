#include "app/map/palette.hpp"

#include <algorithm>
#include <cmath>

namespace terrane {

namespace {
// Fourteen hues spread around the wheel, saturated enough for small discs on both themes.
constexpr Rgba8 kDarkPalette[] = {
    {96, 165, 250, 255},  {251, 146, 60, 255}, {74, 222, 128, 255}, {244, 114, 182, 255}, {250, 204, 21, 255},
    {167, 139, 250, 255}, {45, 212, 191, 255}, {248, 113, 113, 255}, {163, 230, 53, 255}, {232, 121, 249, 255},
    {56, 189, 248, 255},  {253, 186, 116, 255}, {134, 239, 172, 255}, {203, 213, 225, 255}};
constexpr Rgba8 kLightPalette[] = {
    {37, 99, 235, 255},  {234, 88, 12, 255},  {22, 163, 74, 255},  {219, 39, 119, 255}, {202, 138, 4, 255},
    {124, 58, 237, 255}, {13, 148, 136, 255}, {220, 38, 38, 255},  {101, 163, 13, 255}, {192, 38, 211, 255},
    {2, 132, 199, 255},  {180, 83, 9, 255},   {21, 128, 61, 255},  {71, 85, 105, 255}};
constexpr std::size_t kPaletteSize = sizeof(kDarkPalette) / sizeof(kDarkPalette[0]);
} // namespace

std::vector<int> territoryColorSlots(const std::vector<std::array<double, 2>>& centres, const std::vector<int>& fixed) {
    const std::size_t n = centres.size();
    std::vector<int> assigned(n, -1);
    std::vector<int> uses(kPaletteSize, 0);
    for (std::size_t i = 0; i < n && i < fixed.size(); ++i)
        if (fixed[i] >= 0 && static_cast<std::size_t>(fixed[i]) < kPaletteSize) {
            assigned[i] = fixed[i];
            ++uses[static_cast<std::size_t>(fixed[i])];
        }
    // Every territory keeps its entry (a plan edit that added none): no neighbours to look at.
    if (std::find(assigned.begin(), assigned.end(), -1) == assigned.end()) return assigned;
    // Neighbours: the six nearest centres (brute force is fine for a few thousand territories;
    // beyond that a grid keeps it linear).
    constexpr std::size_t kNeighbours = 6;
    std::vector<std::vector<std::size_t>> nbr(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::pair<double, std::size_t>> d;
        d.reserve(n);
        for (std::size_t j = 0; j < n; ++j) {
            if (i == j) continue;
            const double dx = centres[i][0] - centres[j][0], dy = centres[i][1] - centres[j][1];
            d.emplace_back(dx * dx + dy * dy, j);
        }
        const std::size_t k = std::min(kNeighbours, d.size());
        std::partial_sort(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(k), d.end());
        for (std::size_t m = 0; m < k; ++m) {
            nbr[i].push_back(d[m].second);
            nbr[d[m].second].push_back(i); // symmetric
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (assigned[i] >= 0) continue;
        int best = 0;
        long bestCost = -1;
        for (int c = 0; c < static_cast<int>(kPaletteSize); ++c) {
            long cost = uses[static_cast<std::size_t>(c)];
            for (std::size_t j : nbr[i])
                if (assigned[j] == c) cost += 1000;
            if (bestCost < 0 || cost < bestCost) bestCost = cost, best = c;
        }
        assigned[i] = best;
        ++uses[static_cast<std::size_t>(best)];
    }
    return assigned;
}

Rgba8 territoryPaletteColor(int slot, Theme theme) {
    const Rgba8* pal = theme == Theme::Dark ? kDarkPalette : kLightPalette;
    return pal[static_cast<std::size_t>(std::clamp(slot, 0, static_cast<int>(kPaletteSize) - 1))];
}

std::vector<Rgba8> territoryColors(const std::vector<std::array<double, 2>>& centres, Theme theme) {
    const std::vector<int> slots = territoryColorSlots(centres);
    std::vector<Rgba8> out(slots.size());
    for (std::size_t i = 0; i < slots.size(); ++i) out[i] = territoryPaletteColor(slots[i], theme);
    return out;
}

Rgba8 unassignedColor(Theme theme) { return theme == Theme::Dark ? Rgba8{120, 124, 132, 255} : Rgba8{140, 144, 150, 255}; }

} // namespace terrane
