// The UI layout saved with the workspace in browser storage: theme, panels, layers, camera.
#include "app/app.hpp"

#include <nlohmann/json.hpp>

namespace terrane {

std::string App::uiLayoutJson() const {
    const UiState& u = m_ui;
    const MapLayers& L = u.layers;
    nlohmann::ordered_json j;
    j["theme"] = u.theme == Theme::Dark ? "dark" : "light";
    j["sidebar"] = u.showSidebar;
    j["inspector"] = u.showInspector;
    j["bottom"] = u.showBottom;
    j["bottom_share"] = u.bottomShare;
    j["bottom_tab"] = u.bottomTab;
    j["review_mode"] = u.reviewMode;
    j["reference_scenario"] = u.referenceScenario;
    j["point_scale"] = u.pointScale;
    j["balance_metric"] = static_cast<int>(u.balanceMetric);
    j["metrics_level"] = u.metricsLevel;
    j["layers"] = {{"coloring", static_cast<int>(L.coloring)}, {"size_by", static_cast<int>(L.sizeBy)}, {"area", static_cast<int>(L.area)},
                   {"area_metric", static_cast<int>(L.areaMetric)}, {"home_bases", L.homeBases}, {"labels", L.labels},
                   {"changes", L.changesOnly}, {"area_opacity", L.areaOpacity}};
    j["camera"] = {{"x", u.camera.centerX}, {"y", u.camera.centerY}, {"scale", u.camera.scale / u.pixelRatio}};
    return j.dump();
}

void App::applyUiLayout(std::string_view text) {
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return;
    UiState& u = m_ui;
    auto metric = [](int v) { return static_cast<PlanMetric>(std::clamp(v, 0, kPlanMetricCount - 1)); };
    const Theme theme = j.value("theme", "dark") == "light" ? Theme::Light : Theme::Dark;
    u.showSidebar = j.value("sidebar", true);
    u.showInspector = j.value("inspector", true);
    u.showBottom = j.value("bottom", true);
    u.bottomShare = std::clamp(j.value("bottom_share", 0.34f), 0.12f, 0.7f);
    u.bottomTabRequest = std::clamp(j.value("bottom_tab", 0), 0, 3);
    u.reviewMode = j.value("review_mode", false);
    u.referenceScenario = std::min<std::size_t>(j.value("reference_scenario", std::size_t{0}), m_ws.scenarios.empty() ? 0 : m_ws.scenarios.size() - 1);
    u.pointScale = std::clamp(j.value("point_scale", 1.0f), 0.4f, 3.0f);
    u.balanceMetric = metric(j.value("balance_metric", 2));
    u.metricsLevel = std::clamp(j.value("metrics_level", 0), 0, 2);
    if (j.contains("layers") && j["layers"].is_object()) {
        const auto& l = j["layers"];
        u.layers.coloring = static_cast<PointColoring>(std::clamp(l.value("coloring", 0), 0, 3));
        u.layers.sizeBy = metric(l.value("size_by", 2));
        u.layers.area = static_cast<AreaLayer>(std::clamp(l.value("area", 1), 0, 4));
        u.layers.areaMetric = metric(l.value("area_metric", 2));
        u.layers.homeBases = l.value("home_bases", true);
        u.layers.labels = l.value("labels", true);
        u.layers.changesOnly = l.value("changes", false);
        u.layers.areaOpacity = std::clamp(l.value("area_opacity", 0.35f), 0.1f, 1.0f);
    }
    if (j.contains("camera") && j["camera"].is_object()) {
        u.camera.centerX = std::clamp(j["camera"].value("x", 0.25), 0.0, 1.0);
        u.camera.centerY = std::clamp(j["camera"].value("y", 0.4), 0.0, 1.0);
        u.camera.scale = std::clamp(j["camera"].value("scale", 4000.0), 100.0, 5e8) * u.pixelRatio;
        u.cameraFitted = true;
    }
    setTheme(theme);
}

} // namespace terrane
