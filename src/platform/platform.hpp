// Services the app needs from its host (browser or native). The only place for
// #ifdef __EMSCRIPTEN__ is src/platform; each service has a web and a native implementation.
#pragma once

#include <string>
#include <string_view>

namespace terrane::platform {

// Offers `bytes` to the user as a download named `fileName`.
void downloadFile(const std::string& fileName, std::string_view bytes, const char* mimeType);
// Opens the host's file picker; chosen files arrive through App::onFileLoaded.
void openFilePicker(const char* accept, bool multiple);
void setClipboardText(const std::string& text);
const char* clipboardText(); // last text pasted into the page
// Monotonic milliseconds.
double nowMs();
// Asks for another frame even if no input arrives (render on demand otherwise).
void requestFrame();
// Asks for a frame after `ms` milliseconds (timers such as autosave).
void requestFrameAfter(double ms);
// Browser storage for autosave (IndexedDB on the web): results arrive through
// App::onStorageResult. Keys: "datasets", "state", "ui".
void storePut(const char* key, std::string_view bytes);
// A value stored in parts, for big ones: storeAppend() the parts in order (`first` starts the
// value again, dropping parts appended before), then storeCommit() stores them as one value.
void storeAppend(const char* key, std::string_view bytes, bool first);
void storeCommit(const char* key);
void storeClear();
bool storeAvailable();
// Builds and downloads one HTML file holding the app and `scenarioDocument`.
void exportStandalonePage(const std::string& fileName, std::string_view scenarioDocument);
// Data files the page loads after the first frame instead of carrying them in the wasm (the
// service worker caches them; a standalone export carries them inline). requestAsset starts the
// download once; assetBytes is empty until the file has arrived; assetFailed once it cannot.
void requestAsset(const char* name);
std::string_view assetBytes(const char* name);
bool assetFailed(const char* name);
// Display: device pixel ratio and the colour scheme the user's system prefers.
float devicePixelRatio();
bool prefersDarkScheme();
// True when the browser draws WebGL without a GPU (software rendering, such as SwiftShader on a
// machine or virtual desktop without graphics acceleration): the map then draws less per frame.
bool softwareRendering();
void setCursor(const char* cssCursor);
// Small values kept by the host between visits (the page: localStorage); "" when absent.
std::string loadSetting(const char* key);
void saveSetting(const char* key, const std::string& value);

} // namespace terrane::platform
