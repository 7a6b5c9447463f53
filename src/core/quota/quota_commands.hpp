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

// Declares the members every command provides (core/scenario/command.hpp).
#define TERRANE_QUOTA_COMMAND(Type, name)                                                                                \
    static constexpr const char* kName = name;                                                                           \
    static constexpr CommandDomain kDomain = CommandDomain::Quota;                                                       \
    std::string apply(const CommandContext& ctx, Scenario& sc);                                                          \
    void undo(Scenario& sc) const;                                                                                       \
    std::string describe(const Scenario& sc) const;                                                                      \
    void write(Json& j, const Scenario& sc) const;                                                                       \
    static Type read(const CommandReader& r)

struct SetQuotaTarget {
    TERRANE_QUOTA_COMMAND(SetQuotaTarget, "set_quota_target");
    Money target = 0;
    int planYear = 0; // 0: automatic
    Money previous = 0;
    int previousYear = 0;
};
struct SetQuotaSeasonality {
    TERRANE_QUOTA_COMMAND(SetQuotaSeasonality, "set_quota_seasonality");
    std::vector<double> weights; // 4 or 12
    std::vector<double> previous;
};
struct SetQuotaOverAssign {
    TERRANE_QUOTA_COMMAND(SetQuotaOverAssign, "set_quota_over_assign");
    QuotaLevel level = QuotaLevel::Territory; // Region, District or Territory
    std::int64_t ppm = 0;
    std::int64_t previous = 0;
};
struct SetQuotaMethod {
    TERRANE_QUOTA_COMMAND(SetQuotaMethod, "set_quota_method");
    AllocationSettings allocation;
    AllocationSettings previous;
};
// Locks `node` (a territory, district or region id) at `amount`; no amount unlocks it.
struct SetQuotaOverride {
    TERRANE_QUOTA_COMMAND(SetQuotaOverride, "set_quota_override");
    std::string node;
    std::optional<Money> amount;
    std::optional<Money> previous;
};
struct SetQuotaRounding {
    TERRANE_QUOTA_COMMAND(SetQuotaRounding, "set_quota_rounding");
    Money unit = 100;
    RemainderPolicy remainder = RemainderPolicy::Largest;
    Money previousUnit = 100;
    RemainderPolicy previousRemainder = RemainderPolicy::Largest;
};
struct SetQuotaVacancy {
    TERRANE_QUOTA_COMMAND(SetQuotaVacancy, "set_quota_vacancy");
    VacancyPolicy policy = VacancyPolicy::Allocate;
    VacancyPolicy previous = VacancyPolicy::Allocate;
};
struct SetQuotaSimulation {
    TERRANE_QUOTA_COMMAND(SetQuotaSimulation, "set_quota_simulation");
    std::uint64_t seed = 1;
    std::uint32_t trials = 2000;
    std::uint64_t previousSeed = 1;
    std::uint32_t previousTrials = 2000;
};
struct SetCapacityPlan {
    TERRANE_QUOTA_COMMAND(SetCapacityPlan, "set_capacity_plan");
    CapacityPlan plan;
    CapacityPlan previous;
};

#undef TERRANE_QUOTA_COMMAND

} // namespace terrane::quota
