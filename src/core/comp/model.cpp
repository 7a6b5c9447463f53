// Modelling a plan (see model.hpp): curve, comparison, cost simulation, solving and attribution.
//
// Index
//  [SECTION] fast commission
//  [SECTION] curve
//  [SECTION] compare
//  [SECTION] cost simulation
//  [SECTION] solve
//  [SECTION] attribution
#include "core/comp/model.hpp"

#include "core/base/format.hpp"
#include "core/quota/simulate.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace terrane::comp {

// [SECTION] fast commission
namespace {

constexpr __int128 kP = kPpm;

std::int64_t scaledMultiplier(const Commission& c, std::int64_t m) {
    return c.rateScalePpm == kPpm ? m : roundDiv(static_cast<__int128>(m) * c.rateScalePpm, kP);
}

// One rep's commission as a function of its annual credit, equal to commissionFor: whole bands
// are precomputed exactly; the partial band is computed in double precision and falls back to the
// exact 128-bit division only when the value is within a hair of a half cent.
struct RepCurve {
    Money quota = 0, ti = 0, cap = -1;
    bool attainment = false, marginal = true;
    __int128 gateScaled = 0; // quota × gate (minor × 1e6)
    struct Band {
        double lo = 0;         // credit in minor units
        __int128 hiScaled = 0; // next tier's start (minor × 1e6); -1: none
        double rate = 0;       // minor units of payout per minor unit of credit
        __int128 loScaled = 0; // quota × from (minor × 1e6)
        std::int64_t m = 0;
        Money full = 0;        // the whole band's amount (marginal)
    };
    std::vector<Band> bands;
    Money extras = 0; // MBOs (assumed earned)
    std::vector<std::pair<__int128, Money>> yearBonuses; // threshold (minor × 1e6), amount (×4 for quarterly)

    RepCurve(const Plan& plan, Money q, Money t) : quota(q), ti(t) {
        const Commission& c = plan.commission;
        attainment = c.enabled && c.basis == CommissionBasis::Attainment && q > 0 && !c.tiers.empty();
        marginal = c.method == TierMethod::Marginal;
        if (c.enabled && c.capOfTargetIncentivePpm > 0) cap = roundDiv(static_cast<__int128>(t) * c.capOfTargetIncentivePpm, kP);
        gateScaled = static_cast<__int128>(q) * c.gatePpm;
        if (attainment)
            for (std::size_t i = 0; i < c.tiers.size(); ++i) {
                Band b;
                b.m = scaledMultiplier(c, c.tiers[i].multiplierPpm);
                b.loScaled = static_cast<__int128>(q) * c.tiers[i].fromPpm;
                b.lo = static_cast<double>(b.loScaled) / 1e6;
                b.hiScaled = i + 1 < c.tiers.size() ? static_cast<__int128>(q) * c.tiers[i + 1].fromPpm : -1;
                b.rate = static_cast<double>(t) / static_cast<double>(q) * (static_cast<double>(b.m) / 1e6);
                if (i + 1 < c.tiers.size()) {
                    const __int128 band = static_cast<__int128>(q) * c.tiers[i + 1].fromPpm - b.loScaled;
                    b.full = roundDiv(band * t * b.m, static_cast<__int128>(q) * kP * kP);
                }
                bands.push_back(b);
            }
        for (const Bonus& bo : plan.bonuses)
            yearBonuses.push_back({static_cast<__int128>(q) * bo.attainmentPpm, bo.period == BonusPeriod::Quarter ? 4 * bo.amount : bo.amount});
    }

    Money part(__int128 bandScaled, std::int64_t m, double approx) const {
        const double fl = std::floor(approx);
        if (std::fabs(approx - fl - 0.5) < 1e-3 || approx > 1e15) return roundDiv(bandScaled * ti * m, static_cast<__int128>(quota) * kP * kP);
        return static_cast<Money>(std::llround(approx));
    }

    Money commission(Money credited) const {
        if (!attainment || credited <= 0) return 0;
        const double c = static_cast<double>(credited);
        if (static_cast<__int128>(credited) * kP < gateScaled) return 0;
        // (the gate compares exactly, as the engine does)
        Money sum = 0;
        const __int128 cs = static_cast<__int128>(credited) * kP;
        if (marginal) {
            for (const Band& b : bands) {
                if (cs <= b.loScaled) break;
                if (b.hiScaled >= 0 && cs >= b.hiScaled) {
                    sum += b.full;
                    continue;
                }
                const __int128 band = cs - b.loScaled;
                sum += part(band, b.m, (c - b.lo) * b.rate);
                break;
            }
        } else {
            const Band* reached = &bands[0];
            for (const Band& b : bands)
                if (cs >= b.loScaled) reached = &b;
            sum = part(cs, reached->m, c * reached->rate);
        }
        if (cap >= 0 && sum > cap) sum = cap;
        return sum;
    }

    Money payout(Money credited) const {
        Money p = commission(credited) + extras;
        const __int128 cs = static_cast<__int128>(credited) * kP;
        for (const auto& [thr, amt] : yearBonuses)
            if (quota > 0 && cs >= thr) p += amt;
        return p;
    }
};

} // namespace

// [SECTION] curve
PayoutCurve payoutCurve(const Plan& plan, Money quota, Money ti, double maxAttainment, int samples) {
    PayoutCurve out;
    out.quota = quota;
    out.targetIncentive = ti;
    if (quota <= 0 || samples < 2) return out;
    std::vector<double> xs;
    for (int i = 0; i < samples; ++i) xs.push_back(maxAttainment * i / (samples - 1));
    for (const Tier& t : plan.commission.tiers) {
        const double a = static_cast<double>(t.fromPpm) / 1e6;
        if (a > 0 && a <= maxAttainment) {
            xs.push_back(a);
            xs.push_back(std::max(0.0, a - 1e-6));
        }
    }
    for (const Bonus& b : plan.bonuses) {
        const double a = static_cast<double>(b.attainmentPpm) / 1e6;
        if (a <= maxAttainment) xs.push_back(a), xs.push_back(std::max(0.0, a - 1e-6));
    }
    if (plan.commission.gatePpm > 0) {
        const double a = static_cast<double>(plan.commission.gatePpm) / 1e6;
        xs.push_back(a);
        xs.push_back(std::max(0.0, a - 1e-6));
    }
    xs.push_back(1.0);
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    RepCurve rc(plan, quota, ti);
    for (double a : xs) {
        const Money credited = static_cast<Money>(std::llround(a * static_cast<double>(quota)));
        out.points.push_back({a, rc.payout(credited)});
    }
    for (std::size_t i = 1; i < out.points.size(); ++i)
        if (out.points[i].payout < out.points[i - 1].payout) out.falls = true;
    out.atTarget = rc.payout(quota);
    if (rc.cap >= 0) {
        // The credit where the commission first reaches the cap (bisection in minor units).
        Money lo = 0, hi = quota;
        while (rc.commission(hi) < rc.cap && hi < quota * 1000) hi *= 2;
        if (rc.commission(hi) >= rc.cap) {
            while (hi - lo > 1) {
                const Money mid = lo + (hi - lo) / 2;
                (rc.commission(mid) >= rc.cap ? hi : lo) = mid;
            }
            out.capAttainment = static_cast<double>(hi) / static_cast<double>(quota);
        }
    }
    return out;
}

// [SECTION] compare
PlanComparison comparePlans(const PlanPayouts& a, const PlanPayouts& b) {
    PlanComparison out;
    out.totalA = a.totalPayout;
    out.totalB = b.totalPayout;
    out.costOfSalesA = a.costOfSales;
    out.costOfSalesB = b.costOfSales;
    std::unordered_map<std::string_view, const RepPayout*> inA;
    for (const RepPayout& r : a.reps) inA.emplace(r.repId, &r);
    for (const RepPayout& r : b.reps) {
        RepDelta d;
        d.repId = r.repId;
        d.name = r.name;
        d.b = r.payout;
        if (auto it = inA.find(r.repId); it != inA.end()) d.a = it->second->payout;
        d.delta = d.b - d.a;
        (d.delta > 0 ? out.winners : d.delta < 0 ? out.losers : out.unchanged)++;
        out.reps.push_back(std::move(d));
    }
    return out;
}

PlanComparison comparePlans(const Plan& a, const Plan& b, const PayoutInputs& in) {
    return comparePlans(computePayouts(a, in), computePayouts(b, in));
}

// [SECTION] cost simulation
namespace {

std::vector<RepCurve> curvesFor(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in) {
    std::unordered_map<std::string_view, const RepInput*> byId;
    for (const RepInput& r : in.reps) byId.emplace(r.repId, &r);
    std::unordered_map<std::string_view, Money> mbo;
    for (const Mbo& m : plan.mbos) mbo[m.repId] += m.amount;
    std::vector<RepCurve> out;
    out.reserve(model.reps.size());
    for (const quota::SimRep& s : model.reps) {
        auto it = byId.find(s.repId);
        RepCurve rc(plan, s.quota, it == byId.end() ? 0 : it->second->targetIncentive);
        if (auto m = mbo.find(s.repId); m != mbo.end()) rc.extras = m->second;
        out.push_back(std::move(rc));
    }
    return out;
}

Money percentileOf(std::vector<Money> v, double q) {
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(std::llround(q * static_cast<double>(v.size() - 1)));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}
double percentileOf(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    const auto k = static_cast<std::size_t>(std::llround(q * static_cast<double>(v.size() - 1)));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

struct Accumulator {
    std::vector<Money> payout, bookings;
    std::vector<std::uint32_t> atOte;
    std::size_t repsWithTarget = 0;
    void init(std::uint32_t trials) {
        payout.assign(trials, 0);
        bookings.assign(trials, 0);
        atOte.assign(trials, 0);
    }
    void add(const RepCurve& rc, const Money* b, std::uint32_t trials) {
        if (rc.ti > 0) ++repsWithTarget;
        for (std::uint32_t t = 0; t < trials; ++t) {
            const Money p = rc.payout(b[t]);
            payout[t] += p;
            bookings[t] += b[t];
            atOte[t] += (rc.ti > 0 && p >= rc.ti) ? 1u : 0u;
        }
    }
    CostSimResult finish(std::size_t reps, Money budget) {
        CostSimResult r;
        r.complete = true;
        r.trials = static_cast<std::uint32_t>(payout.size());
        r.reps = reps;
        r.budget = budget;
        const std::size_t T = payout.size();
        if (T == 0) return r;
        std::vector<double> cos(T);
        double sumP = 0, sumB = 0, sumCos = 0, sumOte = 0;
        std::size_t over = 0;
        for (std::size_t t = 0; t < T; ++t) {
            sumP += static_cast<double>(payout[t]);
            sumB += static_cast<double>(bookings[t]);
            cos[t] = bookings[t] > 0 ? static_cast<double>(payout[t]) / static_cast<double>(bookings[t]) : 0.0;
            sumCos += cos[t];
            if (budget > 0 && payout[t] > budget) ++over;
            if (repsWithTarget) sumOte += static_cast<double>(atOte[t]) / static_cast<double>(repsWithTarget);
        }
        r.payoutMean = sumP / static_cast<double>(T);
        r.payoutP10 = percentileOf(payout, 0.1);
        r.payoutP50 = percentileOf(payout, 0.5);
        r.payoutP90 = percentileOf(payout, 0.9);
        r.cosP10 = percentileOf(cos, 0.1);
        r.cosP50 = percentileOf(cos, 0.5);
        r.cosP90 = percentileOf(cos, 0.9);
        r.cosMean = sumCos / static_cast<double>(T);
        r.expectedCostOfSales = sumB > 0 ? sumP / sumB : 0.0;
        r.probExceedBudget = budget > 0 ? static_cast<double>(over) / static_cast<double>(T) : 0.0;
        r.shareAtOte = sumOte / static_cast<double>(T);
        r.trialPayout = std::move(payout);
        r.trialBookings = std::move(bookings);
        return r;
    }
};

} // namespace

struct CostSimulationJob::State {
    std::shared_ptr<const quota::SimModel> model;
    quota::SimulationJob sim;
    std::vector<RepCurve> curves;
    Accumulator acc;
    Money budget = 0;
    State(const Plan& plan, std::shared_ptr<const quota::SimModel> m, const PayoutInputs& in, Money b)
        : model(m), sim(m), curves(curvesFor(plan, *m, in)), budget(b) {
        acc.init(m->trials);
        sim.setRepSink([this](std::size_t rep, const Money* bookings, std::uint32_t trials) {
            acc.add(curves[rep], bookings, trials);
        });
    }
};

CostSimulationJob::CostSimulationJob(Plan plan, std::shared_ptr<const quota::SimModel> model, const PayoutInputs& in, Money budget)
    : m_state(std::make_unique<State>(plan, std::move(model), in, budget)) {}
CostSimulationJob::~CostSimulationJob() = default;

bool CostSimulationJob::step(double budgetMs) {
    if (m_cancelled) return true;
    if (m_result.complete) return true;
    if (!m_state->sim.step(budgetMs)) return false;
    m_result = m_state->acc.finish(m_state->model->reps.size(), m_state->budget);
    return true;
}
double CostSimulationJob::progress() const { return m_result.complete ? 1.0 : m_state->sim.progress(); }
std::string CostSimulationJob::detail() const { return m_state->sim.detail(); }

CostSimResult simulateCost(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in, Money budget) {
    CostSimulationJob job(plan, std::shared_ptr<const quota::SimModel>(std::shared_ptr<const quota::SimModel>{}, &model), in, budget);
    while (!job.step(1e9)) {
    }
    return job.result();
}

CostSimResult costFromBookings(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in,
                               std::span<const Money> bookings, Money budget) {
    const std::vector<RepCurve> curves = curvesFor(plan, model, in);
    Accumulator acc;
    acc.init(model.trials);
    for (std::size_t r = 0; r < curves.size(); ++r)
        acc.add(curves[r], bookings.data() + r * model.trials, model.trials);
    return acc.finish(curves.size(), budget);
}

CostSimResult costFromBookingsNaive(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in,
                                    std::span<const Money> bookings, Money budget) {
    std::unordered_map<std::string, Money> ti;
    for (const RepInput& r : in.reps) ti[r.repId] = r.targetIncentive;
    const std::uint32_t T = model.trials;
    CostSimResult r;
    r.complete = true;
    r.trials = T;
    r.reps = model.reps.size();
    r.budget = budget;
    std::vector<Money> payout(T, 0), booked(T, 0);
    std::vector<double> ote(T, 0);
    std::size_t withTarget = 0;
    for (const quota::SimRep& s : model.reps) withTarget += ti[s.repId] > 0 ? 1 : 0;
    // Trial by trial, rep by rep, through the exact per-line engine.
    for (std::uint32_t t = 0; t < T; ++t)
        for (std::size_t k = 0; k < model.reps.size(); ++k) {
            const quota::SimRep& s = model.reps[k];
            const Money b = bookings[k * T + t];
            const Money target = ti[s.repId];
            Money p = commissionFor(plan, s.quota, target, b);
            for (const Bonus& bo : plan.bonuses)
                if (s.quota > 0 && static_cast<double>(b) / static_cast<double>(s.quota) >= static_cast<double>(bo.attainmentPpm) / 1e6)
                    p += bo.period == BonusPeriod::Quarter ? 4 * bo.amount : bo.amount;
            for (const Mbo& m : plan.mbos)
                if (m.repId == s.repId) p += m.amount;
            payout[t] += p;
            booked[t] += b;
            if (target > 0 && p >= target) ote[t] += 1.0 / static_cast<double>(withTarget);
        }
    std::vector<double> cos(T);
    double sp = 0, sb = 0;
    std::size_t over = 0;
    for (std::uint32_t t = 0; t < T; ++t) {
        cos[t] = booked[t] > 0 ? static_cast<double>(payout[t]) / static_cast<double>(booked[t]) : 0;
        sp += static_cast<double>(payout[t]);
        sb += static_cast<double>(booked[t]);
        r.cosMean += cos[t] / T;
        r.shareAtOte += ote[t] / T;
        if (budget > 0 && payout[t] > budget) ++over;
    }
    std::vector<Money> sorted = payout;
    std::sort(sorted.begin(), sorted.end());
    std::vector<double> sc = cos;
    std::sort(sc.begin(), sc.end());
    const auto at = [&](double q) { return static_cast<std::size_t>(std::llround(q * (T - 1))); };
    if (T > 0) {
        r.payoutP10 = sorted[at(0.1)], r.payoutP50 = sorted[at(0.5)], r.payoutP90 = sorted[at(0.9)];
        r.cosP10 = sc[at(0.1)], r.cosP50 = sc[at(0.5)], r.cosP90 = sc[at(0.9)];
        r.payoutMean = sp / T;
        r.expectedCostOfSales = sb > 0 ? sp / sb : 0;
        r.probExceedBudget = budget > 0 ? static_cast<double>(over) / T : 0;
    }
    r.trialPayout = std::move(payout);
    r.trialBookings = std::move(booked);
    return r;
}

// [SECTION] solve
Plan applySolveValue(const Plan& plan, SolveParameter param, double value) {
    Plan p = plan;
    if (param == SolveParameter::BaseRate) {
        p.commission.rateScalePpm = static_cast<std::int64_t>(std::llround(value * 1e6));
    } else {
        for (Tier& t : p.commission.tiers)
            if (t.fromPpm >= kPpm && t.multiplierPpm > kPpm)
                t.multiplierPpm = kPpm + static_cast<std::int64_t>(std::llround(value * static_cast<double>(t.multiplierPpm - kPpm)));
    }
    return p;
}

SolveResult solvePlan(const Plan& plan, SolveParameter param, double target, const quota::SimModel& model,
                      const PayoutInputs& in, std::span<const Money> bookings) {
    SolveResult out;
    const auto cost = [&](double v) {
        return costFromBookings(applySolveValue(plan, param, v), model, in, bookings).expectedCostOfSales;
    };
    const char* what = param == SolveParameter::BaseRate ? "base rate scale" : "accelerator scale";
    if (param == SolveParameter::Accelerators) {
        bool any = false;
        for (const Tier& t : plan.commission.tiers) any |= t.fromPpm >= kPpm && t.multiplierPpm > kPpm;
        if (!any) {
            out.message = "The plan has no accelerator (a tier from 100% with a multiplier above 1) to scale";
            out.plan = plan;
            return out;
        }
    }
    double lo = 0, hi = 1;
    const double c0 = cost(0);
    if (c0 > target) {
        out.message = "Even at " + std::string(what) + " 0 the expected cost of sales is " + fmt::percent(c0, 2) +
                      ", above the target " + fmt::percent(target, 2);
        out.plan = applySolveValue(plan, param, 0);
        out.costOfSales = c0;
        return out;
    }
    double chi = cost(hi);
    while (chi < target && hi < 1024) {
        lo = hi;
        hi *= 2;
        chi = cost(hi);
        ++out.iterations;
    }
    if (chi < target) {
        out.message = "Even at " + std::string(what) + " " + fmt::fixed(hi, 0) + " the expected cost of sales is " +
                      fmt::percent(chi, 2) + ", below the target " + fmt::percent(target, 2);
        out.plan = applySolveValue(plan, param, hi);
        out.costOfSales = chi;
        return out;
    }
    // Bisection to 1 ppm of the parameter (its stored precision).
    while (hi - lo > 1e-6 * std::max(1.0, hi)) {
        const double mid = 0.5 * (lo + hi);
        (cost(mid) < target ? lo : hi) = mid;
        ++out.iterations;
    }
    out.value = std::round(hi * 1e6) / 1e6;
    out.plan = applySolveValue(plan, param, out.value);
    out.costOfSales = cost(out.value);
    out.ok = true;
    out.message = "Expected cost of sales " + fmt::percent(out.costOfSales, 2) + " at " + what + " " +
                  fmt::fixed(out.value, 4) + " after " + std::to_string(out.iterations) + " steps (target " +
                  fmt::percent(target, 2) + ")";
    return out;
}

// [SECTION] attribution
Attribution attributeChange(const Plan& before, const Plan& after, const PayoutInputs& in) {
    Attribution out;
    out.method = "Changes applied one component at a time in a fixed order (period, credit, commission, SPIFFs, "
                 "bonuses, MBOs, clawback, draw, ramp); each part is the payout change of its step on the same deals";
    struct Step {
        const char* name;
        bool changed;
        void (*apply)(Plan&, const Plan&);
    };
    const Step steps[] = {
        {"period", before.start != after.start || before.end != after.end || before.frequency != after.frequency,
         [](Plan& p, const Plan& a) { p.start = a.start, p.end = a.end, p.frequency = a.frequency; }},
        {"credit", before.credit != after.credit, [](Plan& p, const Plan& a) { p.credit = a.credit; }},
        {"commission", before.commission != after.commission, [](Plan& p, const Plan& a) { p.commission = a.commission; }},
        {"spiffs", before.spiffs != after.spiffs, [](Plan& p, const Plan& a) { p.spiffs = a.spiffs; }},
        {"bonuses", before.bonuses != after.bonuses, [](Plan& p, const Plan& a) { p.bonuses = a.bonuses; }},
        {"mbos", before.mbos != after.mbos, [](Plan& p, const Plan& a) { p.mbos = a.mbos; }},
        {"clawback", before.clawback != after.clawback, [](Plan& p, const Plan& a) { p.clawback = a.clawback; }},
        {"draw", before.draw != after.draw, [](Plan& p, const Plan& a) { p.draw = a.draw; }},
        {"ramp", before.ramp != after.ramp, [](Plan& p, const Plan& a) { p.ramp = a.ramp; }},
    };
    Plan cur = before;
    PlanPayouts prev = computePayouts(cur, in);
    out.reps.resize(prev.reps.size());
    for (std::size_t r = 0; r < prev.reps.size(); ++r) {
        out.reps[r].repId = prev.reps[r].repId;
        out.reps[r].name = prev.reps[r].name;
        out.reps[r].before = prev.reps[r].payout;
    }
    for (const Step& s : steps) {
        if (!s.changed) continue;
        out.order.push_back(s.name);
        s.apply(cur, after);
        PlanPayouts next = computePayouts(cur, in);
        for (std::size_t r = 0; r < next.reps.size(); ++r) {
            const Money d = next.reps[r].payout - prev.reps[r].payout;
            if (d != 0) out.reps[r].parts.push_back({s.name, d});
        }
        prev = std::move(next);
    }
    for (std::size_t r = 0; r < prev.reps.size(); ++r) {
        RepAttribution& a = out.reps[r];
        a.after = prev.reps[r].payout;
        if (a.parts.empty()) {
            a.explain = a.after == a.before ? "No change: " + fmt::moneyExact(a.after) : "";
            continue;
        }
        a.explain = fmt::moneyExact(a.before) + " → " + fmt::moneyExact(a.after) + " (";
        a.explain += (a.after >= a.before ? "+" : "") + fmt::moneyExact(a.after - a.before) + "): ";
        for (std::size_t i = 0; i < a.parts.size(); ++i)
            a.explain += (i ? ", " : "") + a.parts[i].component + " " + (a.parts[i].delta >= 0 ? "+" : "") +
                         fmt::moneyExact(a.parts[i].delta);
    }
    return out;
}

} // namespace terrane::comp
