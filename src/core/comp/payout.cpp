// The payout engine (see payout.hpp): credit, statements with year-to-date true-up, and each
// component's lines computed exactly and rounded once.
//
// Index
//  [SECTION] exact arithmetic
//  [SECTION] periods
//  [SECTION] credit
//  [SECTION] commission
//  [SECTION] statements
#include "core/comp/payout.hpp"

#include "core/base/format.hpp"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace terrane::comp {

const char* componentName(Component c) {
    switch (c) {
    case Component::Commission: return "commission";
    case Component::Cap: return "cap";
    case Component::Spiff: return "spiff";
    case Component::Bonus: return "bonus";
    case Component::Mbo: return "mbo";
    case Component::Clawback: return "clawback";
    case Component::Ramp: return "ramp";
    case Component::Draw: return "draw";
    case Component::PriorPaid: return "prior_paid";
    }
    return "commission";
}

// [SECTION] exact arithmetic
Money roundDiv(__int128 num, __int128 den) {
    const bool neg = num < 0;
    const __int128 a = neg ? -num : num;
    const __int128 r = (2 * a + den) / (2 * den); // half away from zero
    return static_cast<Money>(neg ? -r : r);
}

namespace {

constexpr __int128 kP = kPpm;

std::string amountText(Money m) { return fmt::moneyExact(m); }
std::string rateText(Money ti, Money quota) {
    return fmt::percent(static_cast<double>(ti) / static_cast<double>(quota), 2);
}
std::string bandLabel(const std::vector<Tier>& tiers, std::size_t i) {
    std::string s = "Tier " + std::to_string(i + 1) + ", ";
    const std::string from = formatPpmPercent(tiers[i].fromPpm);
    if (i + 1 < tiers.size()) {
        std::string to = formatPpmPercent(tiers[i + 1].fromPpm);
        std::string f = from;
        f.pop_back(); // "100–150%"
        s += f + "\u2013" + to;
    } else {
        s += from + "+";
    }
    return s + " of quota";
}

// The multiplier a tier pays with the plan's rate scale folded in (rounded to 1 ppm).
std::int64_t effectiveMultiplier(const Commission& c, std::int64_t m) {
    if (c.rateScalePpm == kPpm) return m;
    return roundDiv(static_cast<__int128>(m) * c.rateScalePpm, kP);
}

struct TierPart {
    std::size_t tier = 0;
    __int128 bandScaled = 0; // credit in the band, minor units × 1e6
    Money amount = 0;
};

// The tier parts of an annual (or year-to-date) credit, each rounded once.
std::vector<TierPart> tierParts(const Commission& c, Money quota, Money ti, Money credited) {
    std::vector<TierPart> out;
    if (quota <= 0 || credited <= 0 || c.tiers.empty()) return out;
    const __int128 cs = static_cast<__int128>(credited) * kP;
    if (c.gatePpm > 0 && cs < static_cast<__int128>(quota) * c.gatePpm) return out;
    const __int128 den = static_cast<__int128>(quota) * kP * kP;
    if (c.method == TierMethod::Marginal) {
        for (std::size_t i = 0; i < c.tiers.size(); ++i) {
            const __int128 lo = static_cast<__int128>(quota) * c.tiers[i].fromPpm;
            if (cs <= lo) break;
            __int128 band = cs - lo;
            if (i + 1 < c.tiers.size()) band = std::min(band, static_cast<__int128>(quota) * c.tiers[i + 1].fromPpm - lo);
            const std::int64_t m = effectiveMultiplier(c, c.tiers[i].multiplierPpm);
            out.push_back({i, band, roundDiv(band * ti * m, den)});
        }
    } else {
        std::size_t reached = 0;
        for (std::size_t i = 0; i < c.tiers.size(); ++i)
            if (cs >= static_cast<__int128>(quota) * c.tiers[i].fromPpm) reached = i;
        const std::int64_t m = effectiveMultiplier(c, c.tiers[reached].multiplierPpm);
        out.push_back({reached, cs, roundDiv(cs * ti * m, den)});
    }
    return out;
}

Money capAmount(const Commission& c, Money ti) {
    return c.capOfTargetIncentivePpm > 0 ? roundDiv(static_cast<__int128>(ti) * c.capOfTargetIncentivePpm, kP) : -1;
}

} // namespace

Money commissionFor(const Plan& plan, Money quota, Money ti, Money credited) {
    const Commission& c = plan.commission;
    if (!c.enabled || c.basis != CommissionBasis::Attainment) return 0;
    Money sum = 0;
    for (const TierPart& t : tierParts(c, quota, ti, credited)) sum += t.amount;
    const Money cap = capAmount(c, ti);
    if (cap >= 0 && sum > cap) sum = cap;
    return sum;
}

// [SECTION] periods
namespace {

struct Periods {
    std::vector<Date> begin; // begin[k] .. begin[k+1]-1; begin.back() = end + 1
    std::vector<std::string> labels;
    int of(Date d) const {
        if (d == kDateNull || d < begin.front() || d >= begin.back()) return -1;
        const auto it = std::upper_bound(begin.begin(), begin.end(), d);
        return static_cast<int>(it - begin.begin()) - 1;
    }
    int count() const { return static_cast<int>(begin.size()) - 1; }
};

std::string monthYear(Date d) {
    const std::string s = fmt::date(d); // "31 Mar 2026"
    const auto sp = s.find(' ');
    return sp == std::string::npos ? s : s.substr(sp + 1);
}

Periods makePeriods(const Plan& plan) {
    Periods p;
    const int n = periodsPerYear(plan.frequency);
    const int months = 12 / n;
    for (int k = 0; k < n; ++k) {
        const Date b = addMonths(plan.start, k * months);
        if (k > 0 && b > plan.end) break;
        p.begin.push_back(b);
    }
    p.begin.push_back(plan.end + 1);
    for (int k = 0; k < p.count(); ++k) {
        const Date b = p.begin[static_cast<std::size_t>(k)], e = p.begin[static_cast<std::size_t>(k) + 1] - 1;
        const std::string mb = monthYear(b), me = monthYear(e);
        if (mb == me) p.labels.push_back(mb);
        else p.labels.push_back(mb.substr(0, mb.find(' ')) + "\u2013" + me);
    }
    return p;
}

// [SECTION] credit
// One credit of a deal to a rep, with what the statements need of the deal worked out once (so
// they never go back to the deal rows): its date, the SPIFFs it qualifies for, its flat rate.
struct CreditEntry {
    std::uint32_t deal = 0;
    Money amount = 0;
    int period = 0;
    int cancelPeriod = -1; // clawed back in this statement (-1: not clawed back in the plan)
    Date date = kDateNull;
    std::uint64_t spiffs = 0; // bit i: qualifies for plan.spiffs[i] (the first 64)
    int flatRate = -1;        // index of the first matching flat rate, -1: none
};

struct RepCredit {
    std::vector<CreditEntry> entries; // by credit date, then deal order
};

} // namespace

namespace {

bool matches(const std::string& want, const std::string& have) { return want.empty() || want == have; }

// Who each deal credits, per rep; unknown owners and splits above 100% are noted.
std::vector<RepCredit> creditDeals(const Plan& plan, const PayoutInputs& in, const Periods& per,
                                   std::vector<std::string>& notes, std::size_t& dealsCredited) {
    std::vector<RepCredit> out(in.reps.size());
    std::unordered_map<std::string_view, std::uint32_t> repIndex;
    for (std::size_t r = 0; r < in.reps.size(); ++r) repIndex.emplace(in.reps[r].repId, static_cast<std::uint32_t>(r));
    std::unordered_map<std::string_view, std::vector<const Split*>> splits;
    if (plan.credit.to == CreditTo::Splits)
        for (const Split& s : in.splits) splits[s.dealId].push_back(&s);
    // Overlay reps by region (or district).
    std::unordered_map<std::string_view, std::vector<std::uint32_t>> overlays;
    const bool byDistrict = plan.credit.overlayLevel == "district";
    if (!plan.credit.overlayRoles.empty())
        for (std::size_t r = 0; r < in.reps.size(); ++r) {
            const RepInput& rep = in.reps[r];
            if (std::find(plan.credit.overlayRoles.begin(), plan.credit.overlayRoles.end(), rep.role) == plan.credit.overlayRoles.end())
                continue;
            const std::string& key = byDistrict ? rep.district : rep.region;
            if (!key.empty()) overlays[key].push_back(static_cast<std::uint32_t>(r));
        }
    std::size_t unknown = 0;
    Money unknownAmount = 0;
    for (std::size_t d = 0; d < in.deals.size(); ++d) {
        const Deal& deal = in.deals[d];
        if (plan.credit.wonOnly && !deal.won) continue;
        const int p = per.of(deal.date);
        if (p < 0 || deal.measure == kMoneyNull) continue;
        int cancel = -1;
        if (plan.clawback.enabled && deal.cancelDate != kDateNull && deal.cancelDate >= deal.date &&
            deal.cancelDate - deal.date <= plan.clawback.windowDays)
            cancel = per.of(deal.cancelDate);
        std::uint64_t spiffs = 0;
        for (std::size_t i = 0; i < plan.spiffs.size() && i < 64; ++i) {
            const Spiff& s = plan.spiffs[i];
            const Date from = s.from != kDateNull ? s.from : plan.start, to = s.to != kDateNull ? s.to : plan.end;
            if (matches(s.product, deal.product) && matches(s.segment, deal.segment) && deal.date >= from && deal.date <= to &&
                deal.measure >= s.minAmount)
                spiffs |= std::uint64_t{1} << i;
        }
        int flat = -1;
        const auto& rates = plan.commission.flatRates;
        for (std::size_t i = 0; i < rates.size() && flat < 0; ++i)
            if (matches(rates[i].product, deal.product) && matches(rates[i].segment, deal.segment)) flat = static_cast<int>(i);
        const auto add = [&](std::uint32_t r, Money amt) {
            out[r].entries.push_back({static_cast<std::uint32_t>(d), amt, p, cancel, deal.date, spiffs, flat});
        };
        bool any = false;
        Money split = 0;
        if (auto it = splits.find(deal.id); it != splits.end()) {
            for (const Split* s : it->second) {
                auto rit = repIndex.find(s->repId);
                const Money amt = roundDiv(static_cast<__int128>(deal.measure) * s->sharePpm, kP);
                split += amt;
                if (rit == repIndex.end()) {
                    ++unknown;
                    unknownAmount += amt;
                    continue;
                }
                add(rit->second, amt);
                any = true;
            }
        }
        const Money rest = deal.measure - split;
        if (rest > 0 || split == 0) {
            auto rit = repIndex.find(deal.owner);
            if (rit == repIndex.end()) {
                ++unknown;
                unknownAmount += rest;
            } else {
                add(rit->second, rest);
                any = true;
            }
        }
        if (!overlays.empty()) {
            auto oit = repIndex.find(deal.owner);
            if (oit != repIndex.end()) {
                const RepInput& owner = in.reps[oit->second];
                auto ov = overlays.find(byDistrict ? owner.district : owner.region);
                if (ov != overlays.end())
                    for (std::uint32_t r : ov->second)
                        if (r != oit->second) add(r, deal.measure);
            }
        }
        if (any) ++dealsCredited;
    }
    if (unknown > 0)
        notes.push_back(fmt::countOf(unknown, "credit", "credits") + " worth " + fmt::moneyExact(unknownAmount) +
                        " went to reps not in the plan (unknown owners): not paid");
    for (RepCredit& rc : out)
        std::stable_sort(rc.entries.begin(), rc.entries.end(),
                         [](const CreditEntry& a, const CreditEntry& b) { return a.date < b.date; });
    return out;
}

// Months of the plan (by month start) inside a rep's ramp.
int rampMonthsInPlan(const Plan& plan, const RepInput& rep) {
    if (plan.ramp.kind == RampKind::None || rep.start == kDateNull) return 0;
    const Date rampEnd = rep.rampEnd != kDateNull ? rep.rampEnd : addMonths(rep.start, plan.ramp.months);
    int n = 0;
    for (int m = 0; m < 12; ++m) {
        const Date b = addMonths(plan.start, m);
        if (b > plan.end) break;
        const Date e = std::min<Date>(addMonths(plan.start, m + 1) - 1, plan.end);
        // a month counts when the rep is ramping on most of it: its middle day
        const Date mid = b + (e - b) / 2;
        if (mid >= rep.start && mid < rampEnd) ++n;
    }
    return n;
}

// [SECTION] commission
struct CommissionResult {
    std::vector<PayoutLine> lines; // tier lines, flat lines, cap line
    Money total = 0;
};

// Commission lines on a year-to-date credit; `entries` are the deals credited so far (for the
// deal lists, only those of `period` are listed).
CommissionResult commissionLines(const Plan& plan, const RepInput& rep, Money quota, Money credited,
                                 const std::vector<CreditEntry>& entries, const PayoutInputs& in, int period,
                                 bool listDeals) {
    CommissionResult out;
    const Commission& c = plan.commission;
    if (!c.enabled) return out;
    const Money ti = rep.targetIncentive;
    if (c.basis == CommissionBasis::Flat) {
        std::vector<Money> byRate(c.flatRates.size(), 0);
        std::vector<std::vector<std::uint32_t>> dealsByRate(c.flatRates.size());
        for (const CreditEntry& e : entries) {
            if (e.flatRate < 0) continue;
            const auto i = static_cast<std::size_t>(e.flatRate);
            byRate[i] += e.amount;
            if (listDeals && e.period == period) dealsByRate[i].push_back(e.deal);
        }
        for (std::size_t i = 0; i < c.flatRates.size(); ++i) {
            if (byRate[i] == 0) continue;
            const FlatRate& r = c.flatRates[i];
            const std::int64_t rate = effectiveMultiplier(c, r.ratePpm);
            const Money amt = roundDiv(static_cast<__int128>(byRate[i]) * rate, kP);
            std::string what = r.product.empty() && r.segment.empty() ? "all deals" : r.product;
            if (!r.segment.empty()) what += (r.product.empty() ? "" : ", ") + std::string("segment ") + r.segment;
            PayoutLine line{Component::Commission, "Flat rate, " + what, period, amt,
                            amountText(byRate[i]) + " × " + formatPpmPercent(rate) + " = " + amountText(amt),
                            std::move(dealsByRate[i])};
            line.rateLine = true;
            line.credit = moneyToMajor(byRate[i]);
            line.rate = static_cast<double>(rate) / 1e6;
            line.multiplier = 1;
            out.lines.push_back(std::move(line));
            out.total += amt;
        }
    } else {
        if (quota <= 0) {
            out.lines.push_back({Component::Commission, "Commission", period, 0,
                                 "No quota: no attainment commission", {}});
            return out;
        }
        if (c.gatePpm > 0 && static_cast<__int128>(credited) * kP < static_cast<__int128>(quota) * c.gatePpm) {
            out.lines.push_back({Component::Commission, "Below the gate", period, 0,
                                 "Credited " + amountText(credited) + " is " +
                                     fmt::percent(static_cast<double>(credited) / static_cast<double>(quota), 2) +
                                     " of quota " + amountText(quota) + ", below the gate of " +
                                     formatPpmPercent(c.gatePpm) + ": no commission",
                                 {}});
            return out;
        }
        const std::vector<TierPart> parts = tierParts(c, quota, ti, credited);
        const std::string rate = rateText(ti, quota);
        const std::string rateWhy = " (base rate " + amountText(ti) + " ÷ " + amountText(quota) + ")";
        // Cumulative credit of each entry, for the deal lists.
        for (const TierPart& t : parts) {
            const std::int64_t m = effectiveMultiplier(c, c.tiers[t.tier].multiplierPpm);
            PayoutLine line;
            line.component = Component::Commission;
            line.period = period;
            line.amount = t.amount;
            line.rateLine = line.baseRate = true;
            line.credit = static_cast<double>(t.bandScaled / kP) / 100.0 + static_cast<double>(t.bandScaled % kP) / 1e8;
            line.multiplier = static_cast<double>(m) / 1e6;
            const Money band = roundDiv(t.bandScaled, kP);
            const bool exactBand = t.bandScaled % kP == 0;
            if (c.method == TierMethod::Marginal) {
                line.label = bandLabel(c.tiers, t.tier);
                line.explain = (exactBand ? "" : "≈") + amountText(band) + " × " + rate + rateWhy + " × " +
                               formatMultiplier(m) + " = " + amountText(t.amount);
            } else {
                line.label = bandLabel(c.tiers, t.tier) + " reached, retroactive";
                line.explain = "All " + amountText(band) + " × " + rate + rateWhy + " × " + formatMultiplier(m) + " = " +
                               amountText(t.amount);
            }
            if (listDeals) {
                const __int128 lo = c.method == TierMethod::Marginal ? static_cast<__int128>(quota) * c.tiers[t.tier].fromPpm : 0;
                const __int128 hi = lo + t.bandScaled;
                __int128 cum = 0;
                for (const CreditEntry& e : entries) {
                    const __int128 b = cum;
                    cum += static_cast<__int128>(e.amount) * kP;
                    if (e.period == period && cum > lo && b < hi) line.deals.push_back(e.deal);
                }
            }
            out.total += t.amount;
            out.lines.push_back(std::move(line));
        }
    }
    const Money cap = capAmount(c, ti);
    if (cap >= 0 && out.total > cap) {
        const Money cut = cap - out.total;
        out.lines.push_back({Component::Cap, "Cap", period, cut,
                             "Commission " + amountText(out.total) + " capped at " + formatMultiplier(c.capOfTargetIncentivePpm) +
                                 " × target incentive " + amountText(ti) + " = " + amountText(cap) + ": " + amountText(cut),
                             {}});
        out.total = cap;
    }
    return out;
}

Money spiffLine(const Spiff& s, std::size_t index, const std::vector<CreditEntry>& entries, int period, bool cancelled,
                std::vector<std::uint32_t>& deals, std::string& explain) {
    std::size_t n = 0;
    Money base = 0;
    const std::uint64_t bit = index < 64 ? std::uint64_t{1} << index : 0;
    for (const CreditEntry& e : entries) {
        if ((cancelled ? e.cancelPeriod : e.period) != period || !(e.spiffs & bit)) continue;
        ++n;
        base += e.amount;
        deals.push_back(e.deal);
    }
    if (n == 0) return 0;
    const Money perDeal = static_cast<Money>(n) * s.perDeal;
    const Money pct = roundDiv(static_cast<__int128>(base) * s.percentPpm, kP);
    const Money amt = perDeal + pct;
    std::string parts;
    if (s.perDeal) parts = fmt::countOf(n, "deal", "deals") + " × " + amountText(s.perDeal);
    if (s.percentPpm) parts += (parts.empty() ? "" : " + ") + amountText(base) + " × " + formatPpmPercent(s.percentPpm);
    explain = parts + " = " + amountText(amt);
    return cancelled ? -amt : amt;
}

} // namespace

// [SECTION] statements
PlanPayouts computePayouts(const Plan& plan, const PayoutInputs& in) {
    PlanPayouts out;
    const Periods per = makePeriods(plan);
    out.periods = per.count();
    out.periodLabels = per.labels;
    out.notes = in.notes;
    std::vector<RepCredit> credit = creditDeals(plan, in, per, out.notes, out.dealsCredited);
    std::unordered_map<std::string_view, std::vector<const Mbo*>> mbos;
    for (const Mbo& m : plan.mbos) mbos[m.repId].push_back(&m);
    const int P = per.count();
    out.reps.resize(in.reps.size());
    for (std::size_t r = 0; r < in.reps.size(); ++r) {
        const RepInput& rep = in.reps[r];
        RepPayout& rp = out.reps[r];
        rp.rep = r;
        rp.repId = rep.repId;
        rp.name = rep.name;
        rp.targetIncentive = rep.targetIncentive;
        rp.periodPayout.assign(static_cast<std::size_t>(P), 0);
        const std::vector<CreditEntry>& entries = credit[r].entries;
        // Effective quota: ramp relief pro rata over the ramp months in the plan.
        Money quota = rep.quota;
        const int rampMonths = rampMonthsInPlan(plan, rep);
        if (plan.ramp.kind == RampKind::QuotaRelief && rampMonths > 0 && quota > 0) {
            const Money relief = roundDiv(static_cast<__int128>(quota) * plan.ramp.reliefPpm * rampMonths, kP * 12);
            quota -= relief;
            rp.note = "Quota " + amountText(rep.quota) + " less ramp relief " + formatPpmPercent(plan.ramp.reliefPpm) +
                      " × " + std::to_string(rampMonths) + "/12 months = " + amountText(quota);
        }
        rp.quota = quota;
        // Credit per statement: gross (as credited) and cancellations (in their statement).
        std::vector<Money> gross(static_cast<std::size_t>(P), 0), cancelled(static_cast<std::size_t>(P), 0);
        for (const CreditEntry& e : entries) {
            gross[static_cast<std::size_t>(e.period)] += e.amount;
            if (e.cancelPeriod >= 0) cancelled[static_cast<std::size_t>(e.cancelPeriod)] += e.amount;
        }
        Money ytdGross = 0, ytdCancelled = 0, earnedBefore = 0, outstandingDraw = 0, earnedAll = 0;
        std::vector<CreditEntry> ytdEntries, ytdNetEntries;
        for (int k = 0; k < P; ++k) {
            const std::size_t ks = static_cast<std::size_t>(k);
            // Deals recovered in earlier statements are out of the year-to-date credit; those
            // cancelled in this statement are recovered by a clawback line.
            const Money cancelledBefore = ytdCancelled;
            ytdGross += gross[ks];
            ytdCancelled += cancelled[ks];
            ytdEntries.clear();
            ytdNetEntries.clear();
            std::vector<std::uint32_t> dealsOut;
            for (const CreditEntry& e : entries) {
                if (e.period > k || (e.cancelPeriod >= 0 && e.cancelPeriod < k)) continue;
                ytdEntries.push_back(e);
                if (e.cancelPeriod == k) dealsOut.push_back(e.deal);
                else ytdNetEntries.push_back(e);
            }
            const std::size_t firstLine = rp.lines.size();
            const Money base = ytdGross - cancelledBefore;
            CommissionResult com = commissionLines(plan, rep, quota, base, ytdEntries, in, k, true);
            Money earned = com.total;
            for (PayoutLine& l : com.lines) rp.lines.push_back(std::move(l));
            if (cancelled[ks] > 0 && plan.commission.enabled) {
                const CommissionResult net = commissionLines(plan, rep, quota, base - cancelled[ks], ytdNetEntries, in, k, false);
                const Money claw = net.total - com.total;
                rp.lines.push_back({Component::Clawback, "Clawback", k, claw,
                                    "Cancelled within " + std::to_string(plan.clawback.windowDays) + " days of closing: " +
                                        amountText(cancelled[ks]) + " of credit; commission on " + amountText(base - cancelled[ks]) +
                                        " is " + amountText(net.total) + " instead of " + amountText(com.total) + ": " +
                                        amountText(claw),
                                    std::move(dealsOut)});
                earned = net.total;
            }
            if (k > 0 && earnedBefore != 0) {
                rp.lines.push_back({Component::PriorPaid, "Commission paid in earlier statements", k, -earnedBefore,
                                    "Year-to-date commission " + amountText(earned) + " less " + amountText(earnedBefore) +
                                        " paid before",
                                    {}});
            }
            earnedBefore = earned;
            // SPIFFs on this statement's deals, and recovered on cancelled ones.
            for (std::size_t si = 0; si < plan.spiffs.size(); ++si) {
                const Spiff& s = plan.spiffs[si];
                std::vector<std::uint32_t> deals;
                std::string explain;
                const Money amt = spiffLine(s, si, entries, k, false, deals, explain);
                if (amt != 0) rp.lines.push_back({Component::Spiff, "SPIFF " + s.name, k, amt, explain, std::move(deals)});
                if (plan.clawback.enabled) {
                    std::vector<std::uint32_t> cd;
                    std::string ce;
                    const Money back = spiffLine(s, si, entries, k, true, cd, ce);
                    if (back != 0)
                        rp.lines.push_back({Component::Clawback, "SPIFF " + s.name + " recovered", k, back,
                                            "Cancelled deals: " + ce + " recovered", std::move(cd)});
                }
            }
            // Bonuses: quarterly ones in the statement holding the quarter's end, yearly in the last.
            for (const Bonus& b : plan.bonuses) {
                if (b.period == BonusPeriod::Year) {
                    if (k != P - 1) continue;
                    const Money net = ytdGross - ytdCancelled;
                    const bool hit = quota > 0 && static_cast<__int128>(net) * kP >= static_cast<__int128>(quota) * b.attainmentPpm;
                    if (hit)
                        rp.lines.push_back({Component::Bonus, b.name, k, b.amount,
                                            "Attainment " + fmt::percent(static_cast<double>(net) / static_cast<double>(quota), 2) +
                                                " ≥ " + formatPpmPercent(b.attainmentPpm) + ": " + amountText(b.amount),
                                            {}});
                    continue;
                }
                for (int q = 0; q < 4; ++q) {
                    const Date qb = addMonths(plan.start, q * 3), qe = std::min<Date>(addMonths(plan.start, q * 3 + 3) - 1, plan.end);
                    if (qb > plan.end || per.of(qe) != k) continue;
                    Money qc = 0;
                    std::vector<std::uint32_t> deals;
                    for (const CreditEntry& e : entries) {
                        const Date d = e.date;
                        if (d >= qb && d <= qe && e.cancelPeriod < 0) {
                            qc += e.amount;
                            deals.push_back(e.deal);
                        }
                    }
                    const Money qq = roundDiv(quota, 4);
                    if (quota > 0 && static_cast<__int128>(qc) * 4 * kP >= static_cast<__int128>(quota) * b.attainmentPpm)
                        rp.lines.push_back({Component::Bonus, b.name + ", Q" + std::to_string(q + 1), k, b.amount,
                                            "Quarter credit " + amountText(qc) + " ≥ " + formatPpmPercent(b.attainmentPpm) +
                                                " of quarter quota " + amountText(qq) + ": " + amountText(b.amount),
                                            std::move(deals)});
                }
            }
            if (k == P - 1)
                if (auto it = mbos.find(rep.repId); it != mbos.end())
                    for (const Mbo* m : it->second)
                        rp.lines.push_back({Component::Mbo, "MBO " + m->name, k, m->amount,
                                            "Objective met: " + amountText(m->amount), {}});
            // Ramp guarantee: a top-up in the statement where the ramp ends (or the last).
            if (plan.ramp.kind == RampKind::Guarantee && rampMonths > 0) {
                const Date rampEnd = rep.rampEnd != kDateNull ? rep.rampEnd : addMonths(rep.start, plan.ramp.months);
                int endPeriod = per.of(rampEnd - 1);
                if (endPeriod < 0) endPeriod = P - 1;
                if (k == endPeriod) {
                    Money so = 0;
                    for (std::size_t i = 0; i < rp.lines.size(); ++i) so += rp.lines[i].amount;
                    const Money guarantee = plan.ramp.guaranteePerMonth * rampMonths;
                    if (so < guarantee)
                        rp.lines.push_back({Component::Ramp, "Ramp guarantee", k, guarantee - so,
                                            std::to_string(rampMonths) + " ramp months × " + amountText(plan.ramp.guaranteePerMonth) +
                                                " = " + amountText(guarantee) + " guaranteed, earned " + amountText(so) +
                                                ": top-up " + amountText(guarantee - so),
                                            {}});
                }
            }
            // Draw: paid when the statement's earnings fall short, recovered from later excess.
            Money statement = 0;
            for (std::size_t i = firstLine; i < rp.lines.size(); ++i) statement += rp.lines[i].amount;
            if (plan.draw.perPeriod > 0) {
                if (statement < plan.draw.perPeriod) {
                    const Money top = plan.draw.perPeriod - statement;
                    rp.lines.push_back({Component::Draw, plan.draw.recoverable ? "Recoverable draw" : "Non-recoverable draw", k, top,
                                        "Draw " + amountText(plan.draw.perPeriod) + " less earnings " + amountText(statement) +
                                            ": " + amountText(top),
                                        {}});
                    if (plan.draw.recoverable) outstandingDraw += top;
                    statement += top;
                } else if (outstandingDraw > 0) {
                    const Money back = std::min(outstandingDraw, statement - plan.draw.perPeriod);
                    rp.lines.push_back({Component::Draw, "Draw recovered", k, -back,
                                        "Earnings " + amountText(statement) + " above the draw " + amountText(plan.draw.perPeriod) +
                                            " recover " + amountText(back) + " of " + amountText(outstandingDraw) + " outstanding",
                                        {}});
                    outstandingDraw -= back;
                    statement -= back;
                }
            }
            rp.periodPayout[ks] = statement;
            earnedAll += statement;
        }
        rp.credited = ytdGross - ytdCancelled;
        rp.attainment = quota > 0 ? static_cast<double>(rp.credited) / static_cast<double>(quota) : 0.0;
        rp.payout = earnedAll;
        out.totalPayout += rp.payout;
        out.totalCredited += rp.credited;
        if (rep.targetIncentive > 0 && rp.payout >= rep.targetIncentive) ++out.repsAtTarget;
    }
    out.costOfSales = out.totalCredited > 0 ? static_cast<double>(out.totalPayout) / static_cast<double>(out.totalCredited) : 0.0;
    return out;
}

} // namespace terrane::comp
