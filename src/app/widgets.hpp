// Helpers every panel shares: sizes given in CSS pixels, and the one registry of where named
// controls are drawn (the page's test hook, read by browser tests and benches through
// window.terrane.state().targets).
#pragma once

#include <imgui.h>

#include <cstdint>
#include <map>
#include <string>

namespace terrane {

class App;

// Where named controls were drawn, in CSS pixels, stamped with the frame that drew them.
struct TestTargets {
    struct Rect {
        float x = 0, y = 0, w = 0, h = 0;
        std::uint64_t frame = 0;
    };
    std::map<std::string, Rect> rects;
};

// `cssPixels` in framebuffer pixels (the page's device pixel ratio).
float px(const App& app, float cssPixels);
// Records the last ImGui item's rectangle under `name`.
void markTarget(App& app, const std::string& name);
// Begins one of the studio's fixed panels (no title bar, not movable) at `pos` with `size`
// (framebuffer pixels); end with ImGui::End().
void beginPanel(const char* id, const ImVec2& pos, const ImVec2& size);
// The studio's dialogs: opens the modal `title` when `request` is set (clearing it) and returns
// true in that frame, so the caller can fill the dialog's fields.
bool openModal(const char* title, bool& request);
// Begins the modal `title`, centred in the window when it appears; when true, end with
// ImGui::EndPopup(). `flags` are ImGuiWindowFlags (default: auto-resize, no saved settings).
bool beginModal(const char* title, int flags = -1);
// The current table's header row (instead of ImGui::TableHeadersRow): a header cut short by a
// narrow column shows its full name when hovered.
void tableHeaders();
// A table row's first cell naming a territory (spanning the row): a click selects the territory
// and flies the map to it.
void territoryRowCell(App& app, std::int32_t territory, const std::string& name);

} // namespace terrane
