// libFuzzer target: the commission plan file parser must never crash, hang or leak on any input;
// a plan that parses must write back to JSON that parses to the same plan, and its checks and
// payout curve must run.
#include "core/comp/checks.hpp"
#include "core/comp/model.hpp"
#include "core/comp/plan.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > (1u << 16)) return 0;
    using namespace terrane::comp;
    Plan p;
    try {
        p = parsePlanText(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const terrane::JsonFieldError&) {
        return 0;
    }
    if (!(parsePlan(planToJson(p)) == p)) std::abort();
    (void)checkPlan(p);
    (void)payoutCurve(p, 100000000, 10000000, 3.0, 31);
    return 0;
}
