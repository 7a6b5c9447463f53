#include "app/app.hpp"

#include "app/gl.hpp"
#include "core/geo.hpp"
#include "core/version.hpp"
#include "platform/platform.hpp"

#include <imgui_impl_opengl3.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace terrane {

bool App::init(float pixelRatio, bool prefersDark) {
    m_ui.pixelRatio = pixelRatio;
    m_ui.theme = prefersDark ? Theme::Dark : Theme::Light;
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    m_fonts = loadFonts(m_ui.fontSize, m_ui.pixelRatio);
    applyStyle(m_ui.theme, m_ui.pixelRatio);
    if (!m_map.init()) {
        m_error = m_map.error();
        return false;
    }
    loadSample(m_sample);
    return true;
}

void App::setPixelRatio(float pixelRatio) {
    if (pixelRatio == m_ui.pixelRatio) return;
    const float ratio = pixelRatio / m_ui.pixelRatio;
    m_ui.camera.scale *= ratio;
    m_ui.pixelRatio = pixelRatio;
    m_fontsDirty = true;
}

void App::loadSample(const SampleOptions& opt) {
    m_sample = opt;
    generateSample(opt, m_ws);
    m_sampleWorkspace = true;
    m_imports.freshPool.reset();
    m_ui.selectedAccount = -1;
    m_ui.selectedTerritory = -1;
    m_ui.cameraFitted = false;
    workspaceChanged();
    notify("Loaded the sample workspace: " + std::to_string(opt.accounts) + " accounts, " + std::to_string(opt.reps) + " reps");
}

bool App::runCommand(Command cmd, std::string note) {
    if (m_ws.activeScenario == 0) {
        const std::size_t s = m_ws.addScenarioCopy(0, m_ws.freshScenarioName());
        m_ws.activeScenario = s;
        notify("The baseline stays as imported: your edits go to " + m_ws.scenarios[s].name);
    }
    const CommandResult r = execute(m_ws, m_ws.active(), std::move(cmd), std::move(note));
    if (!r.ok) {
        notify("Not done: " + r.error);
        return false;
    }
    workspaceChanged();
    return true;
}

void App::undo() {
    if (terrane::undo(m_ws, m_ws.active())) {
        notify("Undid: " + m_ws.active().log[m_ws.active().cursor].audit.description);
        workspaceChanged();
    }
}

void App::redo() {
    if (terrane::redo(m_ws, m_ws.active())) {
        notify("Redid: " + m_ws.active().log[m_ws.active().cursor - 1].audit.description);
        workspaceChanged();
    }
}

void App::setActiveScenario(std::size_t index) {
    if (index >= m_ws.scenarios.size() || index == m_ws.activeScenario) return;
    m_ws.activeScenario = index;
    workspaceChanged();
}

void App::startJob(std::unique_ptr<Job> job, std::function<void(Job&)> done) {
    m_jobs.push_back(PendingJob{std::move(job), std::move(done)});
    platform::requestFrame();
}

void App::cancelJob() {
    if (!m_jobs.empty()) m_jobs.front().job->cancel();
}

void App::stepJobs() {
    if (m_jobs.empty()) return;
    PendingJob& pj = m_jobs.front();
    // About 60% of a 60 Hz frame for the job; the UI keeps the rest.
    if (pj.job->step(10.0) || pj.job->cancelled()) {
        PendingJob finished = std::move(pj);
        m_jobs.pop_front();
        if (finished.done) finished.done(*finished.job);
    }
    platform::requestFrame();
}

void App::workspaceChanged() {
    m_summary = summarize(m_ws);
    m_totals = terrane::territoryTotals(m_ws, m_ws.active());
    m_map.rebuild(m_ws, m_ws.active(), m_ui.theme);
    m_map.refreshFlags(m_ui);
    m_ui.highlightLabel.clear();
    m_ui.selectedFinding = -1;
    for (auto& t : m_ui.tables) t.dirty = true;
}

void App::selectAccount(std::int64_t row) {
    m_ui.selectedAccount = row;
    if (row >= 0 && static_cast<std::size_t>(row) < m_ws.active().assignment.size()) m_ui.selectedTerritory = -1;
    m_map.refreshFlags(m_ui);
}

void App::selectTerritory(std::int32_t row) {
    m_ui.selectedTerritory = row;
    m_ui.selectedAccount = -1;
    m_map.refreshFlags(m_ui);
}

void App::setTheme(Theme theme) {
    if (theme == m_ui.theme) return;
    m_ui.theme = theme;
    applyStyle(theme, m_ui.pixelRatio);
    m_map.rebuild(m_ws, m_ws.active(), theme);
    m_map.refreshFlags(m_ui);
}

void App::markTarget(std::string id) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    m_ui.targets.emplace_back(std::move(id), std::array<float, 4>{a.x, a.y, b.x - a.x, b.y - a.y});
}

void App::notify(std::string message) {
    m_ui.statusMessage = std::move(message);
    m_ui.statusUntil = platform::nowMs() + 6000.0;
}

std::string App::repName(std::string_view repId) const {
    if (repId.empty()) return "(no owner)";
    const Table& reps = m_ws.reps();
    if (auto r = reps.rowOf(repId)) {
        const std::string_view n = reps.str(reps.indexOf("name"), *r);
        if (!n.empty()) return std::string(n);
    }
    return std::string(repId);
}

void App::layout(int fbW, int fbH) {
    const float pr = m_ui.pixelRatio;
    drawMenuBar(*this);
    const float top = ImGui::GetFrameHeight();
    const float statusH = ImGui::GetFrameHeight() + 6 * pr;
    const float W = static_cast<float>(fbW), H = static_cast<float>(fbH);
    const float sideW = m_ui.showSidebar ? std::min(300.0f * pr, W * 0.3f) : 0.0f;
    // The right column holds the inspector, or the data-quality panel while that is open.
    const bool rightColumn = m_ui.showInspector || m_ui.showDataPanel;
    const float inspW = rightColumn ? std::min((m_ui.showDataPanel ? 460.0f : 310.0f) * pr, W * (m_ui.showDataPanel ? 0.38f : 0.3f)) : 0.0f;
    const float bodyH = std::max(0.0f, H - top - statusH);
    if (m_ui.showSidebar) drawSidebar(*this, ImVec2(0, top), ImVec2(sideW, bodyH));
    if (m_ui.showDataPanel) drawDataPanel(*this, ImVec2(W - inspW, top), ImVec2(inspW, bodyH));
    else if (m_ui.showInspector) drawInspector(*this, ImVec2(W - inspW, top), ImVec2(inspW, bodyH));
    const float mapW = std::max(0.0f, W - sideW - inspW);
    const float tableH = m_ui.showDataTable ? std::clamp(m_ui.dataTableHeight * pr, 120.0f * pr, bodyH * 0.7f) : 0.0f;
    m_map.drawUi(*this, ImVec2(sideW, top), ImVec2(mapW, bodyH - tableH));
    if (m_ui.showDataTable) drawDataTable(*this, ImVec2(sideW, top + bodyH - tableH), ImVec2(mapW, tableH));
    drawStatusBar(*this, ImVec2(0, H - statusH), ImVec2(W, statusH));
    drawAboutWindow(*this);
    drawSampleDialog(*this);
    drawImportDialog(*this);
}

void App::frame(int fbW, int fbH, double nowMs) {
    if (m_fontsDirty) {
        m_fonts = loadFonts(m_ui.fontSize, m_ui.pixelRatio);
        applyStyle(m_ui.theme, m_ui.pixelRatio);
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
        m_fontsDirty = false;
    }
    stepJobs();
    const double start = platform::nowMs();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(fbW), static_cast<float>(fbH));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    m_ui.targets.clear();
    layout(fbW, fbH);
    ImGui::Render();

    glViewport(0, 0, fbW, fbH);
    const float* bg = mapColors(m_ui.theme).background;
    glClearColor(bg[0], bg[1], bg[2], 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    m_map.render(m_ui, fbH);
    glViewport(0, 0, fbW, fbH);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    ++m_ui.frames;
    m_ui.lastFrameMs = platform::nowMs() - start;
    m_ui.avgFrameMs = m_ui.frames == 1 ? m_ui.lastFrameMs : m_ui.avgFrameMs * 0.9 + m_ui.lastFrameMs * 0.1;
    (void)nowMs;
}

std::string App::stateJson() const {
    nlohmann::ordered_json j;
    j["version"] = kVersion;
    j["summary"] = nlohmann::json::parse(summaryToJson(m_summary));
    j["workspace"] = m_ws.name;
    j["scenario"] = m_ws.active().name;
    j["theme"] = m_ui.theme == Theme::Dark ? "dark" : "light";
    j["frames"] = m_ui.frames;
    j["last_frame_ms"] = m_ui.lastFrameMs;
    j["pixel_ratio"] = m_ui.pixelRatio;
    const MapRect& r = m_map.rect();
    j["map"] = {{"points", m_map.pointCount()},
                {"rect", {r.x, r.y, r.w, r.h}},
                {"center", {m_ui.camera.centerX, m_ui.camera.centerY}},
                {"scale", m_ui.camera.scale}};
    j["hovered_account"] = m_ui.hoveredAccount;
    j["selected_account"] = m_ui.selectedAccount;
    j["selected_territory"] = m_ui.selectedTerritory;
    j["status"] = m_ui.statusMessage;
    j["job"] = m_jobs.empty() ? nlohmann::ordered_json(nullptr)
                              : nlohmann::ordered_json({{"title", m_jobs.front().job->title()}, {"progress", m_jobs.front().job->progress()}});
    j["import"] = nlohmann::ordered_json::parse(importStateJson());
    nlohmann::ordered_json targets = nlohmann::ordered_json::object();
    for (const auto& [id, r] : m_ui.targets)
        targets[id] = {r[0] / m_ui.pixelRatio, r[1] / m_ui.pixelRatio, r[2] / m_ui.pixelRatio, r[3] / m_ui.pixelRatio};
    j["targets"] = targets;
    return j.dump();
}

std::string App::accountScreenJson(std::int64_t row) const {
    nlohmann::ordered_json j;
    const Table& acc = m_ws.accounts();
    if (row < 0 || static_cast<std::size_t>(row) >= acc.rows()) return "{\"visible\":false}";
    const double lat = acc.f64(acc.indexOf("lat"), static_cast<std::size_t>(row));
    const double lon = acc.f64(acc.indexOf("lon"), static_cast<std::size_t>(row));
    if (std::isnan(lat) || std::isnan(lon)) return "{\"visible\":false}";
    const ImVec2 p = m_map.worldToScreen(m_ui.camera, mercatorX(lon), mercatorY(lat));
    const MapRect& r = m_map.rect();
    j["x"] = p.x / m_ui.pixelRatio;
    j["y"] = p.y / m_ui.pixelRatio;
    j["visible"] = p.x >= r.x && p.y >= r.y && p.x < r.x + r.w && p.y < r.y + r.h;
    return j.dump();
}

} // namespace terrane
