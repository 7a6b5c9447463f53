// Map canvas: the PNG export. The current view drawn offscreen at a higher resolution (every
// account, not the low-zoom groups) with labels, home bases, legend and a title, then encoded.
#include "app/map/map_view.hpp"

#include "app/app.hpp"

#include <imgui_impl_opengl3.h>
#include <stb/stb_image_write.h>

namespace terrane {

std::string MapView::exportPng(App& app, float k) {
    const UiState& ui = app.ui();
    const int W = static_cast<int>(m_rect.w * k), H = static_cast<int>(m_rect.h * k);
    if (W < 16 || H < 16) return {};
    if (!m_renderer.beginOffscreen(W, H)) return {};
    MapCamera cam = ui.camera;
    cam.scale *= k;
    const MapRect r{0, 0, static_cast<float>(W), static_cast<float>(H)};
    MapDrawOptions opt;
    opt.raster = ui.layers.area == AreaLayer::Territories || ui.layers.area == AreaLayer::HeatMap;
    opt.rasterOpacity = ui.layers.areaOpacity;
    opt.choropleth = ui.layers.area == AreaLayer::StateChoropleth;
    opt.counties =
        ui.layers.area == AreaLayer::CountyChoropleth && m_counties.loaded() ? &m_counties : nullptr;
    opt.pixelRatio = ui.pixelRatio * k;
    opt.pointScale = ui.pointScale;
    // Every account is drawn in an export, not the low-zoom groups.
    if (m_aggregated) m_renderer.setPoints(m_data.instances);
    m_renderer.draw(cam, r, H, mapColors(ui.theme), opt);
    if (m_aggregated) m_renderer.setPoints(m_aggregate);
    // Labels, home bases, legend and a title, through the ImGui renderer into this buffer.
    ImDrawList list(ImGui::GetDrawListSharedData());
    list._ResetForNewFrame();
    list.PushTextureID(ImGui::GetIO().Fonts->TexID);
    list.PushClipRect(ImVec2(0, 0), ImVec2(static_cast<float>(W), static_cast<float>(H)));
    drawAnnotations(app, &list, cam, r, k, false);
    drawLegend(app, &list, ImVec2(0, 0), ImVec2(static_cast<float>(W), static_cast<float>(H)), k);
    const Workspace& ws = app.workspace();
    const std::string title = ws.name + "  |  " + ws.active().name;
    ImFont* bold = app.fonts().bold;
    const float fs = bold->FontSize * k;
    const ImVec2 ts = bold->CalcTextSizeA(fs, FLT_MAX, 0.0f, title.c_str());
    const float pad = 8 * ui.pixelRatio * k;
    list.AddRectFilled(ImVec2(pad, pad), ImVec2(pad * 3 + ts.x, pad * 3 + ts.y),
                       ImGui::GetColorU32(ImGuiCol_WindowBg, 0.9f), pad);
    list.AddText(bold, fs, ImVec2(pad * 2, pad * 2), mapColors(ui.theme).labelText, title.c_str());
    ImDrawData dd;
    dd.Valid = true;
    dd.CmdLists.push_back(&list);
    dd.CmdListsCount = 1;
    dd.TotalVtxCount = list.VtxBuffer.Size;
    dd.TotalIdxCount = list.IdxBuffer.Size;
    dd.DisplayPos = ImVec2(0, 0);
    dd.DisplaySize = ImVec2(static_cast<float>(W), static_cast<float>(H));
    dd.FramebufferScale = ImVec2(1, 1);
    ImGui_ImplOpenGL3_RenderDrawData(&dd);
    const std::vector<std::uint8_t> pixels = m_renderer.endOffscreen();
    std::string png;
    if (pixels.empty()) return png;
    stbi_write_png_to_func(
        [](void* ctx, void* data, int size) {
            static_cast<std::string*>(ctx)->append(static_cast<const char*>(data),
                                                   static_cast<std::size_t>(size));
        },
        &png, W, H, 4, pixels.data(), W * 4);
    return png;
}

} // namespace terrane
