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
// Display: device pixel ratio and the colour scheme the user's system prefers.
float devicePixelRatio();
bool prefersDarkScheme();
void setCursor(const char* cssCursor);
// Small values kept by the host between visits (the page: localStorage); "" when absent.
std::string loadSetting(const char* key);
void saveSetting(const char* key, const std::string& value);

} // namespace terrane::platform
