// The page's entry point: WebGL2 context, input from the browser into ImGui, the render loop,
// and the functions the page's JavaScript calls (window.terrane). Thin by design: the app
// lives in src/app.
//
// Index
//  [SECTION] input
//  [SECTION] frame loop
//  [SECTION] platform services (web)
//  [SECTION] functions called by the page (web/terrane.js)
#include "app/app.hpp"
#include "core/scenario/sample.hpp"
#include "core/scenario/scenario_file.hpp"
#include "app/map/gl.hpp"
#include "core/geo/embedded.hpp"
#include "platform/platform.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>

namespace {

struct Host {
    terrane::App app;
    std::string incoming; // bytes of a file the page is handing over (terrane_file_buffer)
    int framesPending = 3; // render on demand: frames still owed after the last input
    std::string stateBuffer;
    std::string clipboard;
    bool ready = false;
};

// A data file the page loads after the first frame (platform::requestAsset).
struct Asset {
    bool requested = false, arrived = false, failed = false;
    std::string bytes;
};
std::unordered_map<std::string, Asset> g_assets;
Host* g_host = nullptr;

void wake(int frames = 3) {
    if (g_host && g_host->framesPending < frames) g_host->framesPending = frames;
}

// [SECTION] input
ImGuiKey keyFromCode(const char* code) {
    struct Map {
        const char* code;
        ImGuiKey key;
    };
    static const Map kMap[] = {
        {"Tab", ImGuiKey_Tab}, {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow},
        {"ArrowUp", ImGuiKey_UpArrow}, {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp},
        {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home}, {"End", ImGuiKey_End}, {"Insert", ImGuiKey_Insert},
        {"Delete", ImGuiKey_Delete}, {"Backspace", ImGuiKey_Backspace}, {"Space", ImGuiKey_Space},
        {"Enter", ImGuiKey_Enter}, {"NumpadEnter", ImGuiKey_KeypadEnter}, {"Escape", ImGuiKey_Escape},
        {"ShiftLeft", ImGuiKey_LeftShift}, {"ShiftRight", ImGuiKey_RightShift}, {"ControlLeft", ImGuiKey_LeftCtrl},
        {"ControlRight", ImGuiKey_RightCtrl}, {"AltLeft", ImGuiKey_LeftAlt}, {"AltRight", ImGuiKey_RightAlt},
        {"MetaLeft", ImGuiKey_LeftSuper}, {"MetaRight", ImGuiKey_RightSuper}, {"Minus", ImGuiKey_Minus},
        {"Equal", ImGuiKey_Equal}, {"Comma", ImGuiKey_Comma}, {"Period", ImGuiKey_Period}, {"Slash", ImGuiKey_Slash},
        {"F1", ImGuiKey_F1}, {"F2", ImGuiKey_F2}, {"F3", ImGuiKey_F3}, {"F4", ImGuiKey_F4}, {"F5", ImGuiKey_F5},
    };
    for (const Map& m : kMap)
        if (std::strcmp(code, m.code) == 0) return m.key;
    if (std::strncmp(code, "Key", 3) == 0 && code[3] >= 'A' && code[3] <= 'Z' && code[4] == 0)
        return static_cast<ImGuiKey>(ImGuiKey_A + (code[3] - 'A'));
    if (std::strncmp(code, "Digit", 5) == 0 && code[5] >= '0' && code[5] <= '9' && code[6] == 0)
        return static_cast<ImGuiKey>(ImGuiKey_0 + (code[5] - '0'));
    return ImGuiKey_None;
}

EM_BOOL onKey(int type, const EmscriptenKeyboardEvent* e, void*) {
    ImGuiIO& io = ImGui::GetIO();
    const bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
    io.AddKeyEvent(ImGuiMod_Ctrl, e->ctrlKey || e->metaKey);
    io.AddKeyEvent(ImGuiMod_Shift, e->shiftKey);
    io.AddKeyEvent(ImGuiMod_Alt, e->altKey);
    const ImGuiKey key = keyFromCode(e->code);
    if (key != ImGuiKey_None) io.AddKeyEvent(key, down);
    // Printable characters: the key name is the character itself (one UTF-8 code point).
    const bool printable = down && !e->ctrlKey && !e->metaKey && e->key[0] && (std::strlen(e->key) <= 4) &&
                           (static_cast<unsigned char>(e->key[0]) >= 0x80 || std::strlen(e->key) == 1);
    if (printable) io.AddInputCharactersUTF8(e->key);
    wake();
    // Keep the browser's own shortcuts (reload, copy, paste) unless a text field is active.
    if (io.WantTextInput) return !(e->ctrlKey || e->metaKey) || key == ImGuiKey_A || key == ImGuiKey_Z;
    return key == ImGuiKey_Tab || key == ImGuiKey_Space || key == ImGuiKey_Backspace ||
           ((e->ctrlKey || e->metaKey) && (key == ImGuiKey_Z || key == ImGuiKey_Y || key == ImGuiKey_S || key == ImGuiKey_A));
}

EM_BOOL onMouse(int type, const EmscriptenMouseEvent* e, void*) {
    ImGuiIO& io = ImGui::GetIO();
    const float pr = g_host->app.ui().pixelRatio;
    io.AddMousePosEvent(static_cast<float>(e->clientX) * pr, static_cast<float>(e->clientY) * pr);
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN || type == EMSCRIPTEN_EVENT_MOUSEUP) {
        const int button = e->button == 0 ? 0 : e->button == 2 ? 1 : e->button == 1 ? 2 : -1;
        if (button >= 0) io.AddMouseButtonEvent(button, type == EMSCRIPTEN_EVENT_MOUSEDOWN);
    }
    wake();
    return EM_FALSE;
}

EM_BOOL onLeave(int, const EmscriptenMouseEvent*, void*) {
    ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
    wake();
    return EM_FALSE;
}

EM_BOOL onWheel(int, const EmscriptenWheelEvent* e, void*) {
    // Normalise to "notches": pixels / 100, lines / 3, pages as 1.
    double dy = e->deltaY, dx = e->deltaX;
    if (e->deltaMode == DOM_DELTA_PIXEL) dy /= 100.0, dx /= 100.0;
    else if (e->deltaMode == DOM_DELTA_LINE) dy /= 3.0, dx /= 3.0;
    ImGui::GetIO().AddMouseWheelEvent(static_cast<float>(-dx), static_cast<float>(-dy));
    wake();
    return EM_TRUE;
}

EM_BOOL onFocus(int type, const EmscriptenFocusEvent*, void*) {
    ImGui::GetIO().AddFocusEvent(type == EMSCRIPTEN_EVENT_FOCUS);
    wake();
    return EM_FALSE;
}

EM_BOOL onResize(int, const EmscriptenUiEvent*, void*) {
    wake();
    return EM_FALSE;
}

// [SECTION] frame loop
// The page asks before it is closed while the plan has changes not yet stored (web/terrane-page.js).
EM_JS(void, js_set_unsaved, (int unsaved), {
    if (window.terrane && window.terrane._setUnsaved) window.terrane._setUnsaved(unsaved != 0);
});

// The page starts once the gazetteer has arrived (or failed): the sample, a restored workspace
// and every import place accounts with it.
constexpr const char* kGeoAsset = "geo.tsv";

void startWhenPlacesArrive(Host& h) {
    const bool arrived = !terrane::platform::assetBytes(kGeoAsset).empty();
    if (!arrived && !terrane::platform::assetFailed(kGeoAsset)) return;
    h.app.start(arrived);
    h.ready = true;
    wake();
    EM_ASM({ window.terrane && window.terrane._ready && window.terrane._ready(); });
}

void frame() {
    Host& h = *g_host;
    if (!h.ready) {
        startWhenPlacesArrive(h);
        if (!h.ready) return;
    }
    double cssW = 0, cssH = 0;
    emscripten_get_element_css_size("#canvas", &cssW, &cssH);
    const float pr = static_cast<float>(emscripten_get_device_pixel_ratio());
    const int fbW = std::max(1, static_cast<int>(std::lround(cssW * pr)));
    const int fbH = std::max(1, static_cast<int>(std::lround(cssH * pr)));
    int curW = 0, curH = 0;
    emscripten_get_canvas_element_size("#canvas", &curW, &curH);
    if (curW != fbW || curH != fbH) {
        emscripten_set_canvas_element_size("#canvas", fbW, fbH);
        wake();
    }
    if (pr != h.app.ui().pixelRatio) {
        h.app.setPixelRatio(pr);
        wake();
    }
    if (h.framesPending <= 0 && !h.app.wantsFrames()) return; // nothing changed: keep the last frame
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    h.app.frame(fbW, fbH);
    js_set_unsaved(h.app.planUnsaved() ? 1 : 0);
    --h.framesPending;
    // Popups, tooltips and hover states settle over a couple of frames.
    if (ImGui::GetIO().WantTextInput) h.framesPending = std::max(h.framesPending, 1);
}

const char* getClipboard(void*) { return g_host ? g_host->clipboard.c_str() : ""; }
void setClipboard(void*, const char* text) { terrane::platform::setClipboardText(text); }

} // namespace

// [SECTION] platform services (web)
namespace terrane::platform {

EM_JS(void, js_download, (const char* name, const char* data, int len, const char* mime), {
    const bytes = HEAPU8.slice(data, data + len);
    const blob = new Blob([bytes], {type: UTF8ToString(mime)});
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = UTF8ToString(name);
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    if (window.terrane && window.terrane._onDownload) window.terrane._onDownload(UTF8ToString(name), bytes);
});
EM_JS(void, js_open_picker, (const char* accept, int multiple), {
    if (window.terrane && window.terrane.openFilePicker) window.terrane.openFilePicker(UTF8ToString(accept), !!multiple);
});
EM_JS(void, js_set_clipboard, (const char* text), {
    const t = UTF8ToString(text);
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(t).catch(() => {});
});
EM_JS(int, js_prefers_dark, (), {
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: light)').matches ? 0 : 1;
});
EM_JS(char*, js_load_setting, (const char* key), {
    let v = null;
    try { v = window.localStorage.getItem(UTF8ToString(key)); } catch (e) { v = null; }
    if (v === null) return 0;
    const len = lengthBytesUTF8(v) + 1;
    const p = _malloc(len);
    stringToUTF8(v, p, len);
    return p;
});
EM_JS(void, js_save_setting, (const char* key, const char* value), {
    try { window.localStorage.setItem(UTF8ToString(key), UTF8ToString(value)); } catch (e) {}
});
// A context that refuses "a major performance caveat" is not given where WebGL is drawn in
// software; the answer is the browser's own, asked once.
EM_JS(int, js_software_rendering, (), {
    try {
        const c = document.createElement('canvas');
        const g = c.getContext('webgl2', { failIfMajorPerformanceCaveat: true });
        if (!g) return 1;
        const lose = g.getExtension('WEBGL_lose_context');
        if (lose) lose.loseContext();
        return 0;
    } catch (e) {
        return 0;
    }
});
EM_JS(void, js_set_cursor, (const char* c), {
    const v = UTF8ToString(c);
    const canvas = document.getElementById('canvas');
    if (canvas && canvas.style.cursor !== v) canvas.style.cursor = v;
});

EM_JS(void, js_request_frame_after, (double ms), {
    setTimeout(() => { if (Module._terrane_request_frames) Module._terrane_request_frames(2); }, ms);
});
EM_JS(void, js_store_put, (const char* key, const char* data, int len), {
    // A Blob: one copy out of the wasm heap here, and IndexedDB keeps it without cloning the bytes
    // again on this thread (the datasets of 1M accounts are ~170 MB).
    if (window.terrane && window.terrane.storage)
        window.terrane.storage.put(UTF8ToString(key), new Blob([HEAPU8.subarray(data, data + len)]));
});
EM_JS(void, js_store_append, (const char* key, const char* data, int len, int first), {
    if (window.terrane && window.terrane.storage) window.terrane.storage.append(UTF8ToString(key), new Blob([HEAPU8.subarray(data, data + len)]), first != 0);
});
EM_JS(void, js_store_commit, (const char* key), {
    if (window.terrane && window.terrane.storage) window.terrane.storage.commit(UTF8ToString(key));
});
EM_JS(void, js_store_clear, (), {
    if (window.terrane && window.terrane.storage) window.terrane.storage.clear();
});
EM_JS(int, js_store_available, (), {
    return window.terrane && window.terrane.storage && window.terrane.storage.available ? 1 : 0;
});
EM_JS(void, js_export_standalone, (const char* name, const char* doc, int len), {
    if (window.terrane && window.terrane.exportStandalone)
        window.terrane.exportStandalone(UTF8ToString(name), new TextDecoder().decode(HEAPU8.subarray(doc, doc + len)));
});

void requestFrameAfter(double ms) { js_request_frame_after(ms); }
void storePut(const char* key, std::string_view bytes) { js_store_put(key, bytes.data(), static_cast<int>(bytes.size())); }
void storeAppend(const char* key, std::string_view bytes, bool first) {
    js_store_append(key, bytes.data(), static_cast<int>(bytes.size()), first ? 1 : 0);
}
void storeCommit(const char* key) { js_store_commit(key); }
void storeClear() { js_store_clear(); }
bool storeAvailable() { return js_store_available() != 0; }
void exportStandalonePage(const std::string& fileName, std::string_view doc) {
    js_export_standalone(fileName.c_str(), doc.data(), static_cast<int>(doc.size()));
}

void downloadFile(const std::string& fileName, std::string_view bytes, const char* mimeType) {
    js_download(fileName.c_str(), bytes.data(), static_cast<int>(bytes.size()), mimeType);
}
void openFilePicker(const char* accept, bool multiple) { js_open_picker(accept, multiple ? 1 : 0); }
void setClipboardText(const std::string& text) {
    if (g_host) g_host->clipboard = text;
    js_set_clipboard(text.c_str());
}
const char* clipboardText() { return g_host ? g_host->clipboard.c_str() : ""; }
double nowMs() { return emscripten_get_now(); }
void requestFrame() { wake(2); }
float devicePixelRatio() { return static_cast<float>(emscripten_get_device_pixel_ratio()); }
bool prefersDarkScheme() { return js_prefers_dark() != 0; }
bool softwareRendering() {
    static const bool software = js_software_rendering() != 0;
    return software;
}
void setCursor(const char* cssCursor) { js_set_cursor(cssCursor); }
std::string loadSetting(const char* key) {
    char* p = js_load_setting(key);
    if (!p) return {};
    std::string v(p);
    std::free(p);
    return v;
}
void saveSetting(const char* key, const std::string& value) { js_save_setting(key, value.c_str()); }

EM_JS(void, js_fetch_asset, (const char* name), {
    const n = UTF8ToString(name);
    const deliver = (bytes) => {
        const p = bytes ? _malloc(Math.max(bytes.length, 1)) : 0;
        if (p) HEAPU8.set(bytes, p);
        Module.ccall('terrane_asset_arrived', null, ['string', 'number', 'number'], [n, p, bytes ? bytes.length : -1]);
    };
    if (!window.terrane || !window.terrane.fetchAsset) return deliver(null);
    window.terrane.fetchAsset(n).then(deliver, (e) => { console.warn('Terrane: ' + n + ' did not load: ' + e); deliver(null); });
});
void requestAsset(const char* name) {
    Asset& a = g_assets[name];
    if (a.requested) return;
    a.requested = true;
    js_fetch_asset(name);
}
std::string_view assetBytes(const char* name) {
    const auto it = g_assets.find(name);
    return it != g_assets.end() && it->second.arrived ? std::string_view(it->second.bytes) : std::string_view();
}
bool assetFailed(const char* name) {
    const auto it = g_assets.find(name);
    return it != g_assets.end() && it->second.failed;
}

} // namespace terrane::platform

// The gazetteer's text, once the page has loaded geo.tsv (core/geo/embedded.hpp).
std::string_view terrane::embedded::kGeoTsvView() { return terrane::platform::assetBytes(kGeoAsset); }

// [SECTION] functions called by the page (web/terrane.js)
extern "C" {

// A file asked for with platform::requestAsset: its bytes (malloc'd by the page, freed here), or
// len < 0 when it could not be loaded.
EMSCRIPTEN_KEEPALIVE void terrane_asset_arrived(const char* name, unsigned char* bytes, int len) {
    Asset& a = g_assets[name];
    if (bytes && len >= 0) {
        a.bytes.assign(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(len));
        a.arrived = true;
    } else {
        a.failed = true;
    }
    std::free(bytes);
    wake();
}

EMSCRIPTEN_KEEPALIVE const char* terrane_state_json() {
    if (!g_host || !g_host->ready) return "{\"ready\":false}";
    g_host->stateBuffer = g_host->app.stateJson();
    return g_host->stateBuffer.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* terrane_account_screen(double row) {
    if (!g_host || !g_host->ready) return "{}";
    g_host->stateBuffer = g_host->app.accountScreenJson(static_cast<std::int64_t>(row));
    return g_host->stateBuffer.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* terrane_territory_colors_json() {
    if (!g_host || !g_host->ready) return "{}";
    g_host->stateBuffer = g_host->app.territoryColorsJson();
    return g_host->stateBuffer.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* terrane_metrics_json() {
    if (!g_host || !g_host->ready) return "{}";
    g_host->stateBuffer = g_host->app.metricsJson();
    return g_host->stateBuffer.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* terrane_dataset_csv(const char* kind) {
    terrane::DatasetKind k;
    if (!g_host || !g_host->ready || !terrane::parseDatasetKind(kind, k)) return "";
    g_host->stateBuffer = terrane::tableToCsv(g_host->app.workspace().table(k), k);
    return g_host->stateBuffer.c_str();
}

EMSCRIPTEN_KEEPALIVE void terrane_export_map_png() {
    if (!g_host || !g_host->ready) return;
    g_host->app.exportMapPng();
    wake();
}

// Opens a .terrane document given as UTF-8 text (tests; files arrive through the page glue).
EMSCRIPTEN_KEEPALIVE int terrane_open_scenario_text(const char* name, const char* text) {
    if (!g_host || !g_host->ready) return 0;
    const bool ok = g_host->app.openScenarioFile(name ? name : "scenario.terrane", text ? text : "");
    wake();
    return ok ? 1 : 0;
}

// The workspace as a .terrane document, as File > Save writes it without redaction.
EMSCRIPTEN_KEEPALIVE const char* terrane_scenario_text() {
    if (!g_host || !g_host->ready) return "";
    g_host->stateBuffer = g_host->app.scenarioFileText(terrane::SaveOptions{});
    return g_host->stateBuffer.c_str();
}

// The same as the review form's "Add comment" (approval 0) and "Stamp decision" (approval 1).
EMSCRIPTEN_KEEPALIVE void terrane_add_review(int approval, const char* author, const char* decision, const char* text) {
    if (!g_host || !g_host->ready) return;
    using K = terrane::ReviewEntry::Kind;
    g_host->app.addReview(terrane::ReviewEntry{approval ? K::Approval : K::Comment, author, decision, text,
                                               g_host->app.workspace().active().name, 0, "", "", ""});
    wake();
}

EMSCRIPTEN_KEEPALIVE const char* terrane_scenario_summary() {
    if (!g_host || !g_host->ready) return "{}";
    const terrane::ScenarioFileLoad f = terrane::loadScenarioFile(g_host->app.scenarioFileText(terrane::SaveOptions{}));
    g_host->stateBuffer = f.ok ? terrane::scenarioFileSummaryJson(f) : "{}";
    return g_host->stateBuffer.c_str();
}

EMSCRIPTEN_KEEPALIVE void terrane_export_assignment() {
    if (g_host && g_host->ready) g_host->app.exportAssignment();
}

EMSCRIPTEN_KEEPALIVE void terrane_load_sample(double accounts, double reps, double seed) {
    if (!g_host || !g_host->ready) return;
    terrane::SampleOptions o;
    o.accounts = static_cast<std::size_t>(accounts);
    o.reps = static_cast<std::size_t>(reps);
    o.seed = static_cast<std::uint64_t>(seed);
    g_host->app.loadSample(o);
    wake();
}

EMSCRIPTEN_KEEPALIVE void terrane_paste(const char* text) {
    if (!g_host) return;
    g_host->clipboard = text ? text : "";
    wake();
}

EMSCRIPTEN_KEEPALIVE void terrane_request_frames(int n) { wake(n); }

EMSCRIPTEN_KEEPALIVE void terrane_reset_frame_stats() {
    if (g_host && g_host->ready) g_host->app.resetFrameStats();
}

// Browser storage results and the restore of an autosaved workspace (web/terrane-page.js).
EMSCRIPTEN_KEEPALIVE void terrane_storage_result(int ok, const char* message) {
    if (!g_host || !g_host->ready) return;
    g_host->app.onStorageResult(ok != 0, message ? message : "");
    wake();
}

// The page is being hidden or closed: stores the plan at once (the storage writes start before
// this returns). Returns 1 while the plan still has changes not stored (its datasets are not).
EMSCRIPTEN_KEEPALIVE int terrane_flush_autosave() {
    if (!g_host || !g_host->ready) return 0;
    g_host->app.flushAutosave();
    return g_host->app.planUnsaved() ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE void terrane_restore(const char* state, const char* datasets, const char* ui) {
    if (!g_host || !g_host->ready) return;
    g_host->app.restoreAutosave(state ? state : "", datasets ? datasets : "", ui ? ui : "");
    wake();
}

// Applies a UI layout document (as autosave stores it): tests set map layers this way.
EMSCRIPTEN_KEEPALIVE void terrane_apply_layout(const char* json) {
    if (!g_host || !g_host->ready) return;
    g_host->app.applyUiLayout(json ? json : "{}");
    g_host->app.refreshMap();
    wake();
}

EMSCRIPTEN_KEEPALIVE const char* terrane_layout() {
    if (!g_host || !g_host->ready) return "{}";
    g_host->stateBuffer = g_host->app.uiLayoutJson();
    return g_host->stateBuffer.c_str();
}

EMSCRIPTEN_KEEPALIVE void terrane_clear_local_data() {
    if (g_host && g_host->ready) g_host->app.clearLocalData();
    wake();
}

// A buffer of `len` bytes for the page to copy a file into (one copy from JavaScript, none after).
EMSCRIPTEN_KEEPALIVE char* terrane_file_buffer(double len) {
    if (!g_host) return nullptr;
    g_host->incoming.assign(static_cast<std::size_t>(len), '\0');
    return g_host->incoming.data();
}

// The file in the buffer was named `name` (and hashes to `sha256`, hex, or ""): queue it for the
// mapping dialog.
EMSCRIPTEN_KEEPALIVE void terrane_file_loaded(const char* name, const char* sha256) {
    if (!g_host || !g_host->ready) return;
    g_host->app.onFileLoaded(name ? name : "file.csv", std::move(g_host->incoming), sha256 ? sha256 : "");
    g_host->incoming = std::string();
    wake();
}

// Benchmark: imports the buffer as accounts to completion (no UI, fresh string pool) and
// returns {"ok","ms","rows","bytes"}; the workspace is not touched. `sha256` as for
// terrane_file_loaded ("" hashes in the job).
EMSCRIPTEN_KEEPALIVE const char* terrane_bench_import(const char* sha256) {
    if (!g_host) return "{}";
    terrane::ImportOptions opt;
    opt.fileName = "bench.csv";
    opt.kind = terrane::DatasetKind::Accounts;
    opt.knownSha256 = sha256 ? sha256 : "";
    terrane::ImportJob job(std::string_view(g_host->incoming), opt, std::make_shared<terrane::StringPool>());
    const double t0 = emscripten_get_now();
    terrane::runToCompletion(job);
    const double ms = emscripten_get_now() - t0;
    const auto& r = job.result();
    g_host->stateBuffer = "{\"ok\":" + std::string(r.ok ? "true" : "false") + ",\"ms\":" + std::to_string(ms) +
                          ",\"rows\":" + std::to_string(r.report.rowsAccepted) + ",\"bytes\":" + std::to_string(g_host->incoming.size()) + "}";
    return g_host->stateBuffer.c_str();
}

// Benchmarks and tests: opens Analyse > Forecast with the settings in `json` ({"as_of", "period",
// "periods", "trials", "seed", "backtest_periods"}; missing keys keep the panel's) and starts the
// run as the Run button does; state().forecast reports progress, compute times and the figures.
EMSCRIPTEN_KEEPALIVE void terrane_forecast_run(const char* json) {
    if (!g_host || !g_host->ready) return;
    terrane::startForecastFromJson(g_host->app, json ? json : "{}");
    wake();
}

} // extern "C"

int main() {
    EmscriptenWebGLContextAttributes attrs;
    emscripten_webgl_init_context_attributes(&attrs);
    attrs.majorVersion = 2;
    attrs.minorVersion = 0;
    attrs.alpha = EM_FALSE;
    attrs.depth = EM_FALSE;
    attrs.stencil = EM_TRUE; // clips area layers to land
    attrs.antialias = EM_FALSE;
    attrs.premultipliedAlpha = EM_TRUE;
    attrs.preserveDrawingBuffer = EM_FALSE;
    const EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_create_context("#canvas", &attrs);
    if (ctx <= 0) {
        EM_ASM({ window.terrane && window.terrane._fatal && window.terrane._fatal('WebGL2 is not available in this browser.'); });
        return 1;
    }
    emscripten_webgl_make_context_current(ctx);

    g_host = new Host();
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.BackendPlatformName = "terrane_web";
    io.GetClipboardTextFn = getClipboard;
    io.SetClipboardTextFn = setClipboard;
    ImGui_ImplOpenGL3_Init("#version 300 es");
    if (!g_host->app.init(terrane::platform::devicePixelRatio(), terrane::platform::prefersDarkScheme())) {
        const std::string msg = "Terrane could not start: " + g_host->app.error();
        EM_ASM({ window.terrane && window.terrane._fatal && window.terrane._fatal(UTF8ToString($0)); }, msg.c_str());
        return 1;
    }

    const char* win = EMSCRIPTEN_EVENT_TARGET_WINDOW;
    emscripten_set_mousedown_callback("#canvas", nullptr, EM_TRUE, onMouse);
    emscripten_set_mouseup_callback(win, nullptr, EM_TRUE, onMouse);
    emscripten_set_mousemove_callback(win, nullptr, EM_TRUE, onMouse);
    emscripten_set_mouseleave_callback("#canvas", nullptr, EM_TRUE, onLeave);
    emscripten_set_wheel_callback("#canvas", nullptr, EM_TRUE, onWheel);
    emscripten_set_keydown_callback(win, nullptr, EM_TRUE, onKey);
    emscripten_set_keyup_callback(win, nullptr, EM_TRUE, onKey);
    emscripten_set_focus_callback(win, nullptr, EM_TRUE, onFocus);
    emscripten_set_blur_callback(win, nullptr, EM_TRUE, onFocus);
    emscripten_set_resize_callback(win, nullptr, EM_TRUE, onResize);
    terrane::platform::requestAsset(kGeoAsset);
    emscripten_set_main_loop(frame, 0, EM_FALSE);
    return 0;
}
