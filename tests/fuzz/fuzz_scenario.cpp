// libFuzzer target: the scenario file loader must never crash, hang or leak on any input.
#include "core/scenario/scenario_file.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    terrane::LoadLimits lim;
    lim.maxBytes = 1 << 20;
    lim.maxRows = 5000;
    lim.maxCommands = 5000;
    const terrane::ScenarioFileLoad f = terrane::loadScenarioFile(std::string_view(reinterpret_cast<const char*>(data), size), lim);
    if (f.ok) {
        // A file that opens must also save and summarise.
        (void)terrane::scenarioFileSummaryJson(f);
    }
    return 0;
}
