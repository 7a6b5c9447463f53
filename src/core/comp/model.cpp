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
#include <limits>
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
// exact 128-bit division only when the value is within a hair of a half cent. Attainment
// thresholds (quota × attainment, exact in minor × 1e6) are precomputed as the least (or most)
// credit in whole minor units on each side, so the per-trial path has no 128-bit arithmetic
// (slow in WebAssembly).
struct RepCurve {
    static constexpr Money kNever = std::numeric_limits<Money>::max();
    Money quota = 0, ti = 0, cap = -1;
    bool attainment = false, marginal = true;
    Money gateMin = 0; // credit below this: no commission
    struct Band {
        double lo = 0;          // credit in minor units
        double rate = 0;        // minor units of payout per minor unit of credit
        Money reached = 0;      // credit from which the band is reached (credit × 1e6 ≥ start)
        Money notIn = 0;        // credit up to which nothing falls in the band (credit × 1e6 ≤ start)
        Money whole = kNever;   // credit from which the whole band is earned (≥ the next start)
        __int128 loScaled = 0;  // quota × from (minor × 1e6)
        std::int64_t m = 0;
        Money full = 0;         // the whole band's amount (marginal)
    };
    std::vector<Band> bands;
    Money extras = 0; // MBOs (assumed earned)
    std::vector<std::pair<Money, Money>> yearBonuses; // least credit reaching it, amount (×4 for quarterly)

    // Least integer credit c with c × 1e6 ≥ x, and most with c × 1e6 ≤ x (x ≥ 0).
    static Money ceilCredit(__int128 x) { return static_cast<Money>((x + kP - 1) / kP); }
    static Money floorCredit(__int128 x) { return static_cast<Money>(x / kP); }

    RepCurve(const Plan& plan, Money q, Money t) : quota(q), ti(t) {
        const Commission& c = plan.commission;
        attainment = c.enabled && c.basis == CommissionBasis::Attainment && q > 0 && !c.tiers.empty();
        marginal = c.method == TierMethod::Marginal;
        if (c.enabled && c.capOfTargetIncentivePpm > 0) cap = roundDiv(static_cast<__int128>(t) * c.capOfTargetIncentivePpm, kP);
        gateMin = ceilCredit(static_cast<__int128>(q) * c.gatePpm);
        if (attainment)
            for (std::size_t i = 0; i < c.tiers.size(); ++i) {
                Band b;
                b.m = scaledMultiplier(c, c.tiers[i].multiplierPpm);
                b.loScaled = static_cast<__int128>(q) * c.tiers[i].fromPpm;
                b.lo = static_cast<double>(b.loScaled) / 1e6;
                b.reached = ceilCredit(b.loScaled);
                b.notIn = floorCredit(b.loScaled);
                b.rate = static_cast<double>(t) / static_cast<double>(q) * (static_cast<double>(b.m) / 1e6);
                if (i + 1 < c.tiers.size()) {
                    const __int128 hi = static_cast<__int128>(q) * c.tiers[i + 1].fromPpm;
                    b.whole = ceilCredit(hi);
                    b.full = roundDiv((hi - b.loScaled) * t * b.m, static_cast<__int128>(q) * kP * kP);
                }
                bands.push_back(b);
            }
        for (const Bonus& bo : plan.bonuses)
            yearBonuses.push_back({q > 0 ? ceilCredit(static_cast<__int128>(q) * bo.attainmentPpm) : kNever,
                                   bo.period == BonusPeriod::Quarter ? 4 * bo.amount : bo.amount});
    }

    // round(band credit × target incentive × m ÷ quota) from its double approximation.
    Money part(Money credited, const Band& b, bool fromZero, double approx) const {
        const double fl = std::floor(approx);
        if (std::fabs(approx - fl - 0.5) < 1e-3 || approx > 1e15) {
            const __int128 band = static_cast<__int128>(credited) * kP - (fromZero ? 0 : b.loScaled);
            return roundDiv(band * ti * b.m, static_cast<__int128>(quota) * kP * kP);
        }
        return static_cast<Money>(std::llround(approx));
    }

    Money commission(Money credited) const {
        if (!attainment || credited <= 0 || credited < gateMin) return 0;
        const double c = static_cast<double>(credited);
        Money sum = 0;
        if (marginal) {
            for (const Band& b : bands) {
                if (credited <= b.notIn) break;
                if (credited >= b.whole) {
                    sum += b.full;
                    continue;
                }
                sum += part(credited, b, false, (c - b.lo) * b.rate);
                break;
            }
        } else {
            const Band* reached = &bands[0];
            for (const Band& b : bands)
                if (credited >= b.reached) reached = &b;
            sum = part(credited, *reached, true, c * reached->rate);
        }
        if (cap >= 0 && sum > cap) sum = cap;
        return sum;
    }

    // The cost simulation's deal-level estimates (see SimAssumptions): 0 for the payout curve.
    double spiffRate = 0, clawShare = 0;
    Money drawFloor = 0;
    struct Parts {
        Money spiff = 0, claw = 0, draw = 0;
    };

    Money payout(Money credited, Parts* parts = nullptr) const {
        const Money com = commission(credited);
        Money p = com + extras;
        for (const auto& [least, amt] : yearBonuses)
            if (credited >= least) p += amt;
        if (spiffRate > 0 || clawShare > 0 || drawFloor > 0) {
            const Money sp = credited > 0 ? static_cast<Money>(std::llround(spiffRate * static_cast<double>(credited))) : 0;
            const Money cl = -static_cast<Money>(std::llround(clawShare * static_cast<double>(com + sp)));
            p += sp + cl;
            const Money dr = p < drawFloor ? drawFloor - p : 0;
            p += dr;
            if (parts) parts->spiff += sp, parts->claw += cl, parts->draw += dr;
        }
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

std::vector<RepCurve> curvesFor(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in,
                                const SimAssumptions& as) {
    std::unordered_map<std::string_view, const RepInput*> byId;
    for (const RepInput& r : in.reps) byId.emplace(r.repId, &r);
    std::unordered_map<std::string_view, Money> mbo;
    for (const Mbo& m : plan.mbos) mbo[m.repId] += m.amount;
    std::unordered_map<std::string_view, double> spiff;
    for (const auto& [id, rate] : as.repSpiffRate) spiff.emplace(id, rate);
    std::vector<RepCurve> out;
    out.reserve(model.reps.size());
    for (const quota::SimRep& s : model.reps) {
        auto it = byId.find(s.repId);
        RepCurve rc(plan, s.quota, it == byId.end() ? 0 : it->second->targetIncentive);
        if (auto m = mbo.find(s.repId); m != mbo.end()) rc.extras = m->second;
        auto sp = spiff.find(s.repId);
        rc.spiffRate = sp != spiff.end() ? sp->second : as.spiffRate;
        rc.clawShare = as.clawbackShare;
        rc.drawFloor = as.drawPerYear;
        out.push_back(std::move(rc));
    }
    return out;
}

SimAssumptions assumptionsFor(const Plan& plan, const PayoutInputs& in, const PlanPayouts* actual) {
    if (actual) return simAssumptions(plan, *actual);
    return simAssumptions(plan, computePayouts(plan, in));
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
    RepCurve::Parts parts;
    void add(const RepCurve& rc, const Money* b, std::uint32_t trials) {
        if (rc.ti > 0) ++repsWithTarget;
        Money* pay = payout.data();
        Money* book = bookings.data();
        std::uint32_t* ote = atOte.data();
        const Money ti = rc.ti > 0 ? rc.ti : std::numeric_limits<Money>::max();
        for (std::uint32_t t = 0; t < trials; ++t) {
            const Money p = rc.payout(b[t], &parts);
            pay[t] += p;
            book[t] += b[t];
            ote[t] += p >= ti ? 1u : 0u;
        }
    }
    CostSimResult finish(std::size_t reps, Money budget, SimAssumptions as) {
        CostSimResult r;
        r.assumptions = std::move(as);
        if (!payout.empty()) {
            const double T = static_cast<double>(payout.size());
            r.spiffMean = static_cast<double>(parts.spiff) / T;
            r.clawbackMean = static_cast<double>(parts.claw) / T;
            r.drawMean = static_cast<double>(parts.draw) / T;
        }
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

SimAssumptions simAssumptions(const Plan& plan, const PlanPayouts& actual) {
    SimAssumptions as;
    Money spiffs = 0, credited = 0, claw = 0, gross = 0;
    for (const RepPayout& r : actual.reps) {
        Money sp = 0;
        for (const PayoutLine& l : r.lines) {
            switch (l.component) {
            case Component::Spiff: sp += l.amount; [[fallthrough]];
            case Component::Commission:
            case Component::Cap:
            case Component::PriorPaid: gross += l.amount; break;
            case Component::Clawback: claw -= l.amount; break;
            default: break;
            }
        }
        spiffs += sp;
        credited += r.credited;
        if (r.credited > 0 && !plan.spiffs.empty())
            as.repSpiffRate.push_back({r.repId, static_cast<double>(sp) / static_cast<double>(r.credited)});
    }
    as.spiffRate = credited > 0 ? static_cast<double>(spiffs) / static_cast<double>(credited) : 0.0;
    as.clawbackShare = plan.clawback.enabled && gross > 0 && claw > 0 ? static_cast<double>(claw) / static_cast<double>(gross) : 0.0;
    as.drawPerYear = plan.draw.perPeriod * periodsPerYear(plan.frequency);
    std::string t = "Commission, attainment bonuses (quarterly ones at the annual attainment) and MBOs per trial; ";
    t += plan.spiffs.empty() ? "no SPIFFs; "
                             : "SPIFFs scale with each rep's simulated bookings at its SPIFFs / credit on actual deals (plan-wide " +
                                   fmt::percent(as.spiffRate, 2) + " of credit); ";
    t += !plan.clawback.enabled   ? "no clawbacks; "
         : as.clawbackShare == 0 ? "clawbacks at the historical rate: none (no actual deal was cancelled within the window); "
                                 : "clawbacks at the historical rate, " + fmt::percent(as.clawbackShare, 2) +
                                       " of commission + SPIFFs recovered on actual deals; ";
    t += as.drawPerYear > 0 ? "draws: earnings spread evenly over the statements, a rep short of " + fmt::moneyExact(as.drawPerYear) +
                                  " a year is paid the draws"
                            : "no draw";
    as.text = std::move(t);
    return as;
}

struct CostSimulationJob::State {
    std::shared_ptr<const quota::SimModel> model;
    quota::SimulationJob sim;
    SimAssumptions assumptions;
    std::vector<RepCurve> curves;
    Accumulator acc;
    Money budget = 0;
    State(const Plan& plan, std::shared_ptr<const quota::SimModel> m, const PayoutInputs& in, Money b, const PlanPayouts* actual)
        : model(m), sim(m), assumptions(assumptionsFor(plan, in, actual)), curves(curvesFor(plan, *m, in, assumptions)), budget(b) {
        acc.init(m->trials);
        sim.setRepSink([this](std::size_t rep, const Money* bookings, std::uint32_t trials) {
            acc.add(curves[rep], bookings, trials);
        });
    }
};

CostSimulationJob::CostSimulationJob(Plan plan, std::shared_ptr<const quota::SimModel> model, const PayoutInputs& in, Money budget,
                                     const PlanPayouts* actual)
    : m_state(std::make_unique<State>(plan, std::move(model), in, budget, actual)) {}
CostSimulationJob::~CostSimulationJob() = default;

bool CostSimulationJob::step(double budgetMs) {
    if (m_cancelled) return true;
    if (m_result.complete) return true;
    const Stopwatch sw;
    const bool done = m_state->sim.step(budgetMs);
    if (done) m_result = m_state->acc.finish(m_state->model->reps.size(), m_state->budget, m_state->assumptions);
    m_computeMs += sw.ms();
    return done;
}
double CostSimulationJob::progress() const { return m_result.complete ? 1.0 : m_state->sim.progress(); }
std::string CostSimulationJob::detail() const { return m_state->sim.detail(); }

CostSimResult simulateCost(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in, Money budget,
                           const PlanPayouts* actual) {
    CostSimulationJob job(plan, std::shared_ptr<const quota::SimModel>(std::shared_ptr<const quota::SimModel>{}, &model), in, budget,
                          actual);
    while (!job.step(1e9)) {
    }
    return job.result();
}

CostSimResult costFromBookings(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in,
                               std::span<const Money> bookings, Money budget, const PlanPayouts* actual) {
    SimAssumptions as = assumptionsFor(plan, in, actual);
    const std::vector<RepCurve> curves = curvesFor(plan, model, in, as);
    Accumulator acc;
    acc.init(model.trials);
    for (std::size_t r = 0; r < curves.size(); ++r)
        acc.add(curves[r], bookings.data() + r * model.trials, model.trials);
    return acc.finish(curves.size(), budget, std::move(as));
}

CostSimResult costFromBookingsNaive(const Plan& plan, const quota::SimModel& model, const PayoutInputs& in,
                                    std::span<const Money> bookings, Money budget, const PlanPayouts* actual) {
    std::unordered_map<std::string, Money> ti;
    for (const RepInput& r : in.reps) ti[r.repId] = r.targetIncentive;
    SimAssumptions as = assumptionsFor(plan, in, actual);
    std::unordered_map<std::string, double> spiffRate;
    for (const auto& [id, rate] : as.repSpiffRate) spiffRate[id] = rate;
    const std::uint32_t T = model.trials;
    CostSimResult r;
    r.complete = true;
    r.trials = T;
    r.reps = model.reps.size();
    r.budget = budget;
    std::vector<Money> payout(T, 0), booked(T, 0);
    std::vector<double> ote(T, 0);
    std::size_t withTarget = 0;
    Money spiffs = 0, claws = 0, draws = 0;
    for (const quota::SimRep& s : model.reps) withTarget += ti[s.repId] > 0 ? 1 : 0;
    // Trial by trial, rep by rep, through the exact per-line engine.
    for (std::uint32_t t = 0; t < T; ++t)
        for (std::size_t k = 0; k < model.reps.size(); ++k) {
            const quota::SimRep& s = model.reps[k];
            const Money b = bookings[k * T + t];
            const Money target = ti[s.repId];
            const Money com = commissionFor(plan, s.quota, target, b);
            Money p = com;
            for (const Bonus& bo : plan.bonuses)
                if (s.quota > 0 && static_cast<__int128>(b) * kP >= static_cast<__int128>(s.quota) * bo.attainmentPpm)
                    p += bo.period == BonusPeriod::Quarter ? 4 * bo.amount : bo.amount;
            for (const Mbo& m : plan.mbos)
                if (m.repId == s.repId) p += m.amount;
            const auto rate = spiffRate.find(s.repId);
            const Money sp = b > 0 ? static_cast<Money>(std::llround((rate != spiffRate.end() ? rate->second : as.spiffRate) * static_cast<double>(b))) : 0;
            const Money cl = -static_cast<Money>(std::llround(as.clawbackShare * static_cast<double>(com + sp)));
            p += sp + cl;
            const Money dr = p < as.drawPerYear ? as.drawPerYear - p : 0;
            p += dr;
            spiffs += sp, claws += cl, draws += dr;
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
        r.spiffMean = static_cast<double>(spiffs) / T, r.clawbackMean = static_cast<double>(claws) / T, r.drawMean = static_cast<double>(draws) / T;
    }
    r.assumptions = std::move(as);
    r.trialPayout = std::move(payout);
    r.trialBookings = std::move(booked);
    return r;
}

// [SECTION] solve
const char* solveParameterName(SolveParameter p) { return p == SolveParameter::BaseRate ? "base_rate" : "accelerators"; }

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

PlanSolver::PlanSolver(const Plan& plan, SolveParameter param, double target, const quota::SimModel& model, const PayoutInputs& in,
                       std::span<const Money> bookings)
    : m_plan(plan), m_param(param), m_target(target), m_model(model), m_in(in), m_bookings(bookings) {}

double PlanSolver::cost(double v) {
    ++m_evaluations;
    return costFromBookings(applySolveValue(m_plan, m_param, v), m_model, m_in, m_bookings).expectedCostOfSales;
}

void PlanSolver::finish(bool ok, double value, double cos, std::string message) {
    m_out.ok = ok;
    m_out.value = ok ? value : 0;
    m_out.costOfSales = cos;
    m_out.message = std::move(message);
    m_out.plan = applySolveValue(m_plan, m_param, value);
    m_done = true;
}

// Stages: 0 the parameter at 0, 1 doubling the upper bound until the cost reaches the target,
// 2 bisection to 1 ppm of the parameter (its stored precision), 3 the cost at the rounded value.
bool PlanSolver::step() {
    if (m_done) return true;
    const std::string what = m_param == SolveParameter::BaseRate ? "base rate scale" : "accelerator scale";
    switch (m_stage) {
    case 0: {
        if (m_param == SolveParameter::Accelerators) {
            bool any = false;
            for (const Tier& t : m_plan.commission.tiers) any |= t.fromPpm >= kPpm && t.multiplierPpm > kPpm;
            if (!any) {
                finish(false, 0, 0, "The plan has no accelerator (a tier from 100% with a multiplier above 1) to scale");
                m_out.plan = m_plan;
                return true;
            }
        }
        const double c0 = cost(0);
        if (c0 > m_target) {
            finish(false, 0, c0, "Even at " + what + " 0 the expected cost of sales is " + fmt::percent(c0, 2) + ", above the target " +
                                     fmt::percent(m_target, 2));
            return true;
        }
        m_stage = 1;
        return false;
    }
    case 1: {
        const double chi = cost(m_hi);
        if (chi < m_target && m_hi < 1024) {
            m_lo = m_hi;
            m_hi *= 2;
            ++m_out.iterations;
            return false;
        }
        if (chi < m_target) {
            finish(false, m_hi, chi, "Even at " + what + " " + fmt::fixed(m_hi, 0) + " the expected cost of sales is " +
                                         fmt::percent(chi, 2) + ", below the target " + fmt::percent(m_target, 2));
            return true;
        }
        m_stage = 2;
        return false;
    }
    case 2:
        if (m_hi - m_lo > 1e-6 * std::max(1.0, m_hi)) {
            const double mid = 0.5 * (m_lo + m_hi);
            (cost(mid) < m_target ? m_lo : m_hi) = mid;
            ++m_out.iterations;
            return false;
        }
        m_stage = 3;
        [[fallthrough]];
    default: {
        const double value = std::round(m_hi * 1e6) / 1e6;
        const double c = cost(value);
        finish(true, value, c, "Expected cost of sales " + fmt::percent(c, 2) + " at " + what + " " + fmt::fixed(value, 4) + " after " +
                                   std::to_string(m_out.iterations) + " steps (target " + fmt::percent(m_target, 2) + ")");
        return true;
    }
    }
}

SolveResult solvePlan(const Plan& plan, SolveParameter param, double target, const quota::SimModel& model,
                      const PayoutInputs& in, std::span<const Money> bookings) {
    PlanSolver s(plan, param, target, model, in, bookings);
    while (!s.step()) {
    }
    return s.result();
}

struct SolveJob::State {
    std::shared_ptr<const quota::SimModel> model;
    std::shared_ptr<const PayoutInputs> in;
    quota::SimulationJob sim;
    Plan plan;
    SolveParameter param;
    double target;
    std::unique_ptr<PlanSolver> solver;
    State(Plan p, SolveParameter pa, double t, std::shared_ptr<const quota::SimModel> m, std::shared_ptr<const PayoutInputs> i)
        : model(m), in(std::move(i)), sim(m), plan(std::move(p)), param(pa), target(t) {
        sim.keepBookings(true);
    }
};

SolveJob::SolveJob(Plan plan, SolveParameter param, double target, std::shared_ptr<const quota::SimModel> model,
                   std::shared_ptr<const PayoutInputs> in)
    : m_state(std::make_unique<State>(std::move(plan), param, target, std::move(model), std::move(in))) {}
SolveJob::~SolveJob() = default;

bool SolveJob::step(double budgetMs) {
    if (m_cancelled) return true;
    State& s = *m_state;
    const Stopwatch sw;
    if (!s.solver) {
        if (!s.sim.step(budgetMs)) return false;
        s.solver = std::make_unique<PlanSolver>(s.plan, s.param, s.target, *s.model, *s.in, s.sim.keptBookings());
    }
    do {
        if (s.solver->step()) return true;
    } while (sw.ms() < budgetMs);
    return false;
}
double SolveJob::progress() const {
    const State& s = *m_state;
    if (!s.solver) return 0.3 * s.sim.progress();
    return s.solver->done() ? 1.0 : 0.3 + 0.7 * std::min(1.0, s.solver->evaluations() / 32.0);
}
std::string SolveJob::detail() const {
    const State& s = *m_state;
    if (!s.solver) return s.sim.detail();
    return "Cost of sales evaluated at " + std::to_string(s.solver->evaluations()) + " values";
}
const SolveResult& SolveJob::result() const {
    static const SolveResult none;
    return m_state->solver ? m_state->solver->result() : none;
}
bool SolveJob::complete() const { return m_state->solver && m_state->solver->done(); }

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
