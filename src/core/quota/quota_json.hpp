// The quota and capacity set-up as JSON (scenario files, command logs). Money in minor units,
// shares in parts per million, enums by name. Readers validate untrusted input and say what is
// wrong where ("scenarios[1].start.quota.seasonality: ...").
#pragma once

#include "core/quota/quota_plan.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace terrane::quota {

struct QuotaJsonError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

nlohmann::ordered_json allocationToJson(const AllocationSettings& a);
nlohmann::ordered_json quotaPlanToJson(const QuotaPlan& p);
nlohmann::ordered_json capacityPlanToJson(const CapacityPlan& c);
// Throw QuotaJsonError naming `where` and the field on bad input; missing fields keep defaults.
AllocationSettings allocationFromJson(const nlohmann::ordered_json& j, const std::string& where);
QuotaPlan quotaPlanFromJson(const nlohmann::ordered_json& j, const std::string& where);
CapacityPlan capacityPlanFromJson(const nlohmann::ordered_json& j, const std::string& where);

} // namespace terrane::quota
