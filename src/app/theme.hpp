// Look and feel: fonts (Inter, embedded), ImGui style, map colours for dark and light themes.
#pragma once

#include "app/ui_state.hpp"

#include <imgui.h>

namespace terrane {

struct Fonts {
    ImFont* regular = nullptr;
    ImFont* bold = nullptr;
    ImFont* large = nullptr; // headline figures
};

struct MapColors {
    float background[4]; // sea
    float land[4];
    float landFocus[4]; // US states
    float countryBorder[4];
    float stateBorder[4];
    float selection[4];
    ImU32 labelText, labelShadow;
};

// Rebuilds the font atlas for `fontSizeCss` at `pixelRatio`; returns the fonts.
Fonts loadFonts(float fontSizeCss, float pixelRatio);
// Applies the ImGui style for `theme`, scaled to `pixelRatio`.
void applyStyle(Theme theme, float pixelRatio);
const MapColors& mapColors(Theme theme);
// Accent colours used by charts and badges.
ImU32 accentColor(Theme theme);
ImU32 mutedTextColor(Theme theme);
ImU32 goodColor(Theme theme);
ImU32 badColor(Theme theme);
ImU32 warnColor(Theme theme); // amber: works, but something the analyses need is missing

} // namespace terrane
