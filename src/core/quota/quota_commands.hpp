// The quota and capacity set-up's commands (Scenario::quota, Scenario::capacity). `previous` is
// filled when applied. See core/scenario/command.hpp for what every command provides.
#pragma once

#include "core/quota/quota_plan.hpp"
#include "core/scenario/command.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace terrane::quota {

struct SetQuotaTarget {
    TERRANE_COMMAND(SetQuotaTarget, "set_quota_target", CommandDomain::Quota);
    Money target = 0;
    int planYear = 0; // 0: automatic
    Money previous = 0;
    int previousYear = 0;
};
struct SetQuotaSeasonality {
    TERRANE_COMMAND(SetQuotaSeasonality, "set_quota_seasonality", CommandDomain::Quota);
    std::vector<double> weights; // 4 or 12
    std::vector<double> previous;
};
struct SetQuotaOverAssign {
    TERRANE_COMMAND(SetQuotaOverAssign, "set_quota_over_assign", CommandDomain::Quota);
    QuotaLevel level = QuotaLevel::Territory; // Region, District or Territory
    std::int64_t ppm = 0;
    std::int64_t previous = 0;
};
struct SetQuotaMethod {
    TERRANE_COMMAND(SetQuotaMethod, "set_quota_method", CommandDomain::Quota);
    AllocationSettings allocation;
    AllocationSettings previous;
};
// Locks `node` (a territory, district or region id) at `amount`; no amount unlocks it.
struct SetQuotaOverride {
    TERRANE_COMMAND(SetQuotaOverride, "set_quota_override", CommandDomain::Quota);
    std::string node;
    std::optional<Money> amount;
    std::optional<Money> previous;
};
struct SetQuotaRounding {
    TERRANE_COMMAND(SetQuotaRounding, "set_quota_rounding", CommandDomain::Quota);
    Money unit = 100;
    RemainderPolicy remainder = RemainderPolicy::Largest;
    Money previousUnit = 100;
    RemainderPolicy previousRemainder = RemainderPolicy::Largest;
};
struct SetQuotaVacancy {
    TERRANE_COMMAND(SetQuotaVacancy, "set_quota_vacancy", CommandDomain::Quota);
    VacancyPolicy policy = VacancyPolicy::Allocate;
    VacancyPolicy previous = VacancyPolicy::Allocate;
};
struct SetQuotaSimulation {
    TERRANE_COMMAND(SetQuotaSimulation, "set_quota_simulation", CommandDomain::Quota);
    std::uint64_t seed = 1;
    std::uint32_t trials = 2000;
    std::uint64_t previousSeed = 1;
    std::uint32_t previousTrials = 2000;
};
struct SetCapacityPlan {
    TERRANE_COMMAND(SetCapacityPlan, "set_capacity_plan", CommandDomain::Quota);
    CapacityPlan plan;
    CapacityPlan previous;
};

} // namespace terrane::quota
