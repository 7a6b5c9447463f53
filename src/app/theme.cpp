#include "app/theme.hpp"

#include "app/embedded_app.hpp"

namespace terrane {

Fonts loadFonts(float fontSizeCss, float pixelRatio) {
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false; // the data is static
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2013, 0x2026, 0x20AC, 0x20AC, 0x2190, 0x2193, 0x2212, 0x2212, 0};
    const float px = fontSizeCss * pixelRatio;
    Fonts f;
    f.regular = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(embedded::kFontRegular), static_cast<int>(embedded::kFontRegularSize),
                                               px, &cfg, kRanges);
    f.bold = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(embedded::kFontSemiBold), static_cast<int>(embedded::kFontSemiBoldSize),
                                            px, &cfg, kRanges);
    f.large = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(embedded::kFontSemiBold), static_cast<int>(embedded::kFontSemiBoldSize),
                                             px * 1.6f, &cfg, kRanges);
    io.FontDefault = f.regular;
    io.Fonts->Build();
    return f;
}

void applyStyle(Theme theme, float pixelRatio) {
    ImGuiStyle style;
    if (theme == Theme::Dark) ImGui::StyleColorsDark(&style);
    else ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0.0f;
    style.FrameRounding = 4.0f;
    style.GrabRounding = 4.0f;
    style.PopupRounding = 6.0f;
    style.ScrollbarRounding = 6.0f;
    style.TabRounding = 4.0f;
    style.WindowBorderSize = 1.0f;
    style.FramePadding = ImVec2(8, 4);
    style.ItemSpacing = ImVec2(8, 6);
    style.WindowPadding = ImVec2(10, 10);
    style.CellPadding = ImVec2(6, 3);
    ImVec4* c = style.Colors;
    if (theme == Theme::Dark) {
        c[ImGuiCol_WindowBg] = ImVec4(0.105f, 0.115f, 0.135f, 1.0f);
        c[ImGuiCol_ChildBg] = ImVec4(0.105f, 0.115f, 0.135f, 1.0f);
        c[ImGuiCol_PopupBg] = ImVec4(0.13f, 0.14f, 0.165f, 0.98f);
        c[ImGuiCol_MenuBarBg] = ImVec4(0.085f, 0.09f, 0.11f, 1.0f);
        c[ImGuiCol_Border] = ImVec4(0.22f, 0.24f, 0.28f, 1.0f);
        c[ImGuiCol_Header] = ImVec4(0.20f, 0.33f, 0.55f, 0.55f);
        c[ImGuiCol_HeaderHovered] = ImVec4(0.24f, 0.40f, 0.65f, 0.75f);
        c[ImGuiCol_HeaderActive] = ImVec4(0.26f, 0.45f, 0.72f, 1.0f);
        c[ImGuiCol_Button] = ImVec4(0.20f, 0.33f, 0.55f, 0.65f);
        c[ImGuiCol_FrameBg] = ImVec4(0.16f, 0.17f, 0.20f, 1.0f);
        c[ImGuiCol_TableHeaderBg] = ImVec4(0.14f, 0.15f, 0.18f, 1.0f);
        c[ImGuiCol_TableRowBgAlt] = ImVec4(1.0f, 1.0f, 1.0f, 0.03f);
        c[ImGuiCol_Text] = ImVec4(0.90f, 0.92f, 0.95f, 1.0f);
        c[ImGuiCol_TextDisabled] = ImVec4(0.55f, 0.58f, 0.64f, 1.0f);
    } else {
        c[ImGuiCol_WindowBg] = ImVec4(0.975f, 0.978f, 0.985f, 1.0f);
        c[ImGuiCol_ChildBg] = ImVec4(0.975f, 0.978f, 0.985f, 1.0f);
        c[ImGuiCol_MenuBarBg] = ImVec4(0.93f, 0.935f, 0.95f, 1.0f);
        c[ImGuiCol_Border] = ImVec4(0.80f, 0.82f, 0.86f, 1.0f);
        c[ImGuiCol_Text] = ImVec4(0.10f, 0.12f, 0.16f, 1.0f);
        c[ImGuiCol_TextDisabled] = ImVec4(0.42f, 0.45f, 0.50f, 1.0f);
        c[ImGuiCol_TableRowBgAlt] = ImVec4(0.0f, 0.0f, 0.0f, 0.03f);
    }
    // Slider handles: a narrow translucent bar, so the value drawn over the slider stays legible
    // wherever the handle sits.
    style.GrabMinSize = 5.0f;
    const ImVec4 grab = theme == Theme::Dark ? ImVec4(0.45f, 0.65f, 0.95f, 1.0f) : ImVec4(0.20f, 0.45f, 0.85f, 1.0f);
    c[ImGuiCol_SliderGrab] = ImVec4(grab.x, grab.y, grab.z, 0.55f);
    c[ImGuiCol_SliderGrabActive] = ImVec4(grab.x, grab.y, grab.z, 0.8f);
    style.ScaleAllSizes(pixelRatio);
    ImGui::GetStyle() = style;
}

const MapColors& mapColors(Theme theme) {
    static const MapColors kDark{{0.055f, 0.075f, 0.105f, 1.0f}, {0.165f, 0.178f, 0.200f, 1.0f}, {0.190f, 0.205f, 0.232f, 1.0f},
                                 {0.32f, 0.35f, 0.40f, 1.0f},    {0.28f, 0.31f, 0.36f, 1.0f},    {1.0f, 1.0f, 1.0f, 1.0f},
                                 IM_COL32(235, 238, 245, 255),   IM_COL32(0, 0, 0, 170)};
    static const MapColors kLight{{0.80f, 0.86f, 0.91f, 1.0f},  {0.955f, 0.950f, 0.935f, 1.0f}, {0.985f, 0.980f, 0.968f, 1.0f},
                                  {0.62f, 0.64f, 0.68f, 1.0f},  {0.74f, 0.75f, 0.78f, 1.0f},    {0.05f, 0.05f, 0.08f, 1.0f},
                                  IM_COL32(25, 28, 36, 255),     IM_COL32(255, 255, 255, 200)};
    return theme == Theme::Dark ? kDark : kLight;
}

ImU32 accentColor(Theme theme) { return theme == Theme::Dark ? IM_COL32(96, 165, 250, 255) : IM_COL32(37, 99, 235, 255); }
ImU32 mutedTextColor(Theme theme) { return theme == Theme::Dark ? IM_COL32(140, 148, 163, 255) : IM_COL32(100, 108, 122, 255); }
ImU32 goodColor(Theme theme) { return theme == Theme::Dark ? IM_COL32(74, 222, 128, 255) : IM_COL32(22, 163, 74, 255); }
ImU32 warnColor(Theme theme) { return theme == Theme::Dark ? IM_COL32(251, 191, 36, 255) : IM_COL32(180, 83, 9, 255); }
ImU32 badColor(Theme theme) { return theme == Theme::Dark ? IM_COL32(248, 113, 113, 255) : IM_COL32(220, 38, 38, 255); }

} // namespace terrane
