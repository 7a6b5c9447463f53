// A commission plan: the rules that turn credited deals into each rep's payout (credit rules,
// the commission on attainment tiers or flat rates, SPIFFs, bonuses and MBOs, clawbacks, draws,
// new-hire ramp). Plain values only; the payout engine is payout.hpp, the checks checks.hpp, the
// file format PLAN_FORMAT.md (read and written by parsePlan / planToJson here).
//
// Exactness: money is integer minor units; rates, multipliers and attainment thresholds are
// integer parts per million (1.5 = 1500000), so every payout line is an exact rational number
// rounded once.
//
// Index
//  [SECTION] plan
//  [SECTION] names and JSON
#pragma once

#include "core/base/types.hpp"
#include "core/scenario/command_json.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace terrane::comp {

inline constexpr std::int64_t kPpm = 1000000; // 1.0 in parts per million

// [SECTION] plan
enum class PayoutFrequency : std::uint8_t { Annual, Quarterly, Monthly };
// Marginal: each attainment band pays at its own multiplier. Retroactive: all credit pays at the
// multiplier of the band reached.
enum class TierMethod : std::uint8_t { Marginal, Retroactive };
// The commission basis: attainment tiers on the base rate (target incentive ÷ quota), or flat
// rates of the measure per product / segment.
enum class CommissionBasis : std::uint8_t { Attainment, Flat };
// Who a won deal credits: its owner only, or the splits dataset (owner gets what is not split).
enum class CreditTo : std::uint8_t { Owner, Splits };
enum class BonusPeriod : std::uint8_t { Year, Quarter };
enum class RampKind : std::uint8_t { None, QuotaRelief, Guarantee };

struct CreditRule {
    std::string measure = "amount"; // "amount", "arr" or any numeric opportunities column
    std::string date = "close_date"; // the date column that places a deal in a period
    CreditTo to = CreditTo::Owner;
    bool wonOnly = true;
    // Overlay roles credited by hierarchy: a rep whose reps.role is listed gets full overlay
    // credit for won deals of owners in the same region (district when `overlayLevel` is
    // "district").
    std::vector<std::string> overlayRoles;
    std::string overlayLevel = "region";
    bool operator==(const CreditRule&) const = default;
};

// A tier applies its multiplier to the base rate from `fromPpm` attainment up to the next tier's.
struct Tier {
    std::int64_t fromPpm = 0;           // attainment where the tier starts (1000000 = 100%)
    std::int64_t multiplierPpm = kPpm;  // of the base rate
    bool operator==(const Tier&) const = default;
};

// A flat rate of the measure for deals of a product and/or segment ("" matches any).
struct FlatRate {
    std::string product, segment;
    std::int64_t ratePpm = 0; // 100000 = 10% of the measure
    bool operator==(const FlatRate&) const = default;
};

struct Commission {
    bool enabled = true;
    CommissionBasis basis = CommissionBasis::Attainment;
    TierMethod method = TierMethod::Marginal;
    std::vector<Tier> tiers{Tier{}};        // sorted by fromPpm; the first starts at 0
    std::int64_t gatePpm = 0;               // nothing below this attainment (0: no gate)
    std::int64_t capOfTargetIncentivePpm = 0; // commission capped at this × target incentive (0: none)
    std::int64_t rateScalePpm = kPpm;       // scales the base rate (1.0: target incentive ÷ quota)
    std::vector<FlatRate> flatRates;        // basis Flat: first match wins
    bool operator==(const Commission&) const = default;
};

// A one-off payment per qualifying deal, or a share of its measure.
struct Spiff {
    std::string name;
    std::string product, segment; // "" matches any
    Date from = kDateNull, to = kDateNull; // inclusive window on the credit date; null: plan period
    Money perDeal = 0;
    std::int64_t percentPpm = 0; // share of the deal's credited measure
    Money minAmount = 0;         // deals below this measure do not qualify
    bool operator==(const Spiff&) const = default;
};

// A fixed amount when attainment reaches a threshold (per quarter or for the year).
struct Bonus {
    std::string name;
    std::int64_t attainmentPpm = kPpm;
    BonusPeriod period = BonusPeriod::Year;
    Money amount = 0;
    bool operator==(const Bonus&) const = default;
};

// A management-by-objectives payment entered per rep.
struct Mbo {
    std::string repId, name;
    Money amount = 0;
    bool operator==(const Mbo&) const = default;
};

// A won deal cancelled within `windowDays` of its credit date is recovered in the period of
// cancellation (its commission, recomputed without the deal, and any SPIFF it earned).
struct Clawback {
    bool enabled = false;
    int windowDays = 90;
    bool operator==(const Clawback&) const = default;
};

// A draw paid in each statement whose earnings fall short of it; recoverable draws are offset
// against later earnings above it (within the plan year).
struct Draw {
    Money perPeriod = 0; // 0: no draw
    bool recoverable = true;
    bool operator==(const Draw&) const = default;
};

// New hires: for `months` from their start date (or until reps.ramp_end) either their quota is
// reduced by `reliefPpm` for the ramp months (pro rata), or their commission is topped up to a
// guaranteed amount per ramp month.
struct Ramp {
    RampKind kind = RampKind::None;
    int months = 3;
    std::int64_t reliefPpm = 500000;
    Money guaranteePerMonth = 0;
    bool operator==(const Ramp&) const = default;
};

struct Plan {
    std::string name = "Commission plan";
    std::string currency = "USD";
    Date start = kDateNull, end = kDateNull; // inclusive plan period
    PayoutFrequency frequency = PayoutFrequency::Annual;
    CreditRule credit;
    Commission commission;
    std::vector<Spiff> spiffs;
    std::vector<Bonus> bonuses;
    std::vector<Mbo> mbos;
    Clawback clawback;
    Draw draw;
    Ramp ramp;
    bool operator==(const Plan&) const = default;
};

// The example AE plan of PLAN_FORMAT.md for `year` (marginal 0.5/1/1.5/2 tiers, cap 2.5×, one
// SPIFF): a starting point for the editor.
Plan examplePlan(int year);

// [SECTION] names and JSON
inline constexpr int kPlanFormatVersion = 1;
const char* frequencyName(PayoutFrequency f); // "annual", "quarterly", "monthly"
const char* tierMethodName(TierMethod m);     // "marginal", "retroactive"
const char* bonusPeriodName(BonusPeriod p);   // "year", "quarter"
const char* rampKindName(RampKind k);         // "none", "quota_relief", "guarantee"
int periodsPerYear(PayoutFrequency f);        // 1, 4, 12

// Reads a plan file's JSON; throws JsonFieldError naming the field and what was expected. The
// plan is built aside and returned whole: nothing half-loads.
Plan parsePlan(const Json& j, const std::string& where = "plan");
// The same from text (JSON syntax errors become JsonFieldError too).
Plan parsePlanText(std::string_view text);
// The plan as its file JSON (format, version and every field; parsePlan(planToJson(p)) == p).
Json planToJson(const Plan& p);

// "12.5%" for 125000 ppm, "1.5" as a multiplier ("1.5×" with `times`).
std::string formatPpmPercent(std::int64_t ppm);
std::string formatMultiplier(std::int64_t ppm);

} // namespace terrane::comp
