// From a problem to scenarios: balance jobs, applying plans, rebalance, trade-off sweeps, sizing.
//
// Index
//  [SECTION] scenarios
//  [SECTION] job
//  [SECTION] apply
//  [SECTION] rebalance
//  [SECTION] trade-off
//  [SECTION] sizing
#include "core/territory/planning.hpp"

#include "core/territory/plan_state.hpp"
#include "core/base/text.hpp"
#include "core/data/values.hpp"
#include "core/scenario/workspace.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <unordered_map>

namespace terrane::territory {

// [SECTION] scenarios
std::vector<std::uint8_t> accountFlags(const Workspace& ws, std::string_view column) {
    const Table& acc = ws.accounts();
    std::vector<std::uint8_t> out(acc.rows(), 0);
    const Column* c = acc.find(column);
    if (!c) return out;
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        if (c->type() == ColumnType::Bool) {
            out[r] = c->u8()[r] == 1 ? 1 : 0;
        } else if (c->type() == ColumnType::String) {
            const std::string_view v = trim(acc.pool().view(c->ids()[r]));
            if (v.empty()) continue;
            bool b = false;
            if (!parseBoolText(v, b))
                throw BalanceInputError("accounts row " + std::to_string(r + 1) + ", column '" +
                                        std::string(column) + "': '" + std::string(v) +
                                        "' is not true or false");
            out[r] = b ? 1 : 0;
        } else {
            const double v = c->number(r);
            out[r] = !std::isnan(v) && v != 0 ? 1 : 0;
        }
    }
    return out;
}

namespace {

Table emptyTerritories(const Workspace& ws) {
    Table t(ws.pool);
    for (const FieldSpec& f : fieldsOf(DatasetKind::Territories)) t.addColumn(f.name, f.type);
    return t;
}

void addTerritory(Table& t, std::string_view id, std::string_view name, std::string_view owner) {
    const std::size_t r = t.rows();
    t.resize(r + 1);
    StringPool& pool = t.pool();
    t.find("territory_id")->ids()[r] = pool.intern(id);
    t.find("name")->ids()[r] = pool.intern(name);
    t.find("level")->ids()[r] = pool.intern("territory");
    t.find("owner")->ids()[r] = pool.intern(owner);
}

Scenario scenarioFrom(const Workspace& ws, Table territories, std::span<const std::uint8_t> locked,
                      std::string name) {
    Scenario sc;
    sc.name = std::move(name);
    sc.origin = "optimiser";
    sc.territories = makeScenarioTerritories(territories);
    const std::size_t n = ws.accounts().rows();
    sc.assignment.assign(n, -1);
    sc.locked.assign(n, 0);
    for (std::size_t r = 0; r < n && r < locked.size(); ++r) sc.locked[r] = locked[r];
    return sc;
}

} // namespace

TerritoryDraft repDraft(const Workspace& ws) {
    const Table& reps = ws.reps();
    if (reps.rows() == 0)
        throw BalanceInputError("--by-rep needs a reps file (--reps R.csv) with one row per rep or seat");
    TerritoryDraft d;
    const Column& repId = *reps.find("rep_id");
    const Column& repTer = *reps.find("territory");
    const Table& terrs = ws.territories();
    std::unordered_map<std::string, std::size_t> byId;
    std::unordered_map<std::string, std::size_t> byRep;
    for (std::size_t r = 0; r < reps.rows(); ++r) {
        const std::string rid(reps.pool().view(repId.ids()[r]));
        std::string tid(trim(reps.pool().view(repTer.ids()[r])));
        if (tid.empty()) tid = rid;
        if (auto it = byId.find(tid); it != byId.end()) {
            d.warnings.push_back("rep " + rid + " shares territory " + tid +
                                 " with an earlier rep; balanced as one seat");
            byRep[rid] = it->second;
            continue;
        }
        std::string name = tid;
        if (auto tr = terrs.rowOf(tid)) {
            const std::string_view nm = terrs.str(terrs.indexOf("name"), *tr);
            if (!nm.empty()) name = std::string(nm);
        }
        byId[tid] = d.territories.size();
        byRep[rid] = d.territories.size();
        d.territories.push_back({tid, name, rid});
    }
    const Table& acc = ws.accounts();
    const Column& accTer = *acc.find("territory");
    const Column& accOwner = *acc.find("owner");
    d.start.assign(acc.rows(), -1);
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        const std::string_view tid = trim(acc.pool().view(accTer.ids()[r]));
        if (auto it = byId.find(std::string(tid)); !tid.empty() && it != byId.end()) {
            d.start[r] = static_cast<std::int32_t>(it->second);
            continue;
        }
        const std::string_view own = trim(acc.pool().view(accOwner.ids()[r]));
        if (auto it = byRep.find(std::string(own)); !own.empty() && it != byRep.end())
            d.start[r] = static_cast<std::int32_t>(it->second);
    }
    return d;
}

TerritoryDraft numberedDraft(const Workspace& ws, std::size_t territories) {
    if (territories < 1) throw BalanceInputError("the number of territories must be at least 1");
    TerritoryDraft d;
    const int width = std::max(2, static_cast<int>(std::to_string(territories).size()));
    std::unordered_map<std::string, std::size_t> byId;
    for (std::size_t k = 0; k < territories; ++k) {
        std::string num = std::to_string(k + 1);
        const std::string id = "T" +
                               std::string(static_cast<std::size_t>(width) -
                                               std::min(num.size(), static_cast<std::size_t>(width)),
                                           '0') +
                               num;
        byId[id] = k;
        d.territories.push_back({id, id, ""});
    }
    const Table& acc = ws.accounts();
    const Column& accTer = *acc.find("territory");
    d.start.assign(acc.rows(), -1);
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        const std::string_view tid = trim(acc.pool().view(accTer.ids()[r]));
        if (auto it = byId.find(std::string(tid)); !tid.empty() && it != byId.end())
            d.start[r] = static_cast<std::int32_t>(it->second);
    }
    return d;
}

TerritoryDraft columnDraft(const Workspace& ws, std::string_view column, std::size_t maxValues) {
    const Table& acc = ws.accounts();
    const Column* c = acc.find(column);
    if (!c) throw BalanceInputError("the accounts have no column '" + std::string(column) + "'");
    if (c->type() != ColumnType::String)
        throw BalanceInputError("column '" + std::string(column) + "' holds numbers or dates; pick a text column");
    // Distinct values (by string id, then by trimmed text), then sorted by text.
    std::unordered_map<std::uint32_t, std::int32_t> slot;
    std::unordered_map<std::string, std::int32_t> byText;
    std::vector<std::string> values;
    std::vector<std::int32_t> raw(acc.rows(), -1);
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        const std::uint32_t id = c->ids()[r];
        auto it = slot.find(id);
        if (it == slot.end()) {
            const std::string v(trim(acc.pool().view(id)));
            std::int32_t k = -1;
            if (!v.empty()) {
                auto [t, added] = byText.emplace(v, static_cast<std::int32_t>(values.size()));
                if (added) values.push_back(v);
                k = t->second;
            }
            it = slot.emplace(id, k).first;
        }
        raw[r] = it->second;
    }
    if (values.empty()) throw BalanceInputError("column '" + std::string(column) + "' is blank in every account");
    if (values.size() > maxValues)
        throw BalanceInputError("column '" + std::string(column) + "' has " + std::to_string(values.size()) +
                                " different values (at most " + std::to_string(maxValues) +
                                " territories); pick a column such as a region or state");
    std::vector<std::size_t> order(values.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<std::int32_t> rank(values.size());
    TerritoryDraft d;
    for (std::size_t k = 0; k < order.size(); ++k) {
        rank[order[k]] = static_cast<std::int32_t>(k);
        d.territories.push_back({values[order[k]], values[order[k]], ""});
    }
    d.start.assign(acc.rows(), -1);
    std::size_t blank = 0;
    for (std::size_t r = 0; r < acc.rows(); ++r) {
        if (raw[r] < 0) ++blank;
        else d.start[r] = rank[static_cast<std::size_t>(raw[r])];
    }
    if (blank > 0)
        d.warnings.push_back(std::to_string(blank) + (blank == 1 ? " account has no " : " accounts have no ") +
                             std::string(column) + (blank == 1 ? " and stays where it is" : " and stay where they are"));
    return d;
}

CreateTerritories draftCommand(const Scenario& sc, const TerritoryDraft& draft, std::string source) {
    CreateTerritories c;
    c.territories = draft.territories;
    c.source = std::move(source);
    for (std::size_t r = 0; r < draft.start.size() && r < sc.assignment.size(); ++r) {
        if (draft.start[r] < 0 || (r < sc.locked.size() && sc.locked[r])) continue;
        c.accounts.push_back(static_cast<std::uint32_t>(r));
        c.to.push_back(draft.start[r]);
    }
    return c;
}

namespace {
Scenario draftScenario(const Workspace& ws, const TerritoryDraft& d, std::span<const std::uint8_t> locked,
                       std::string name) {
    Table t = emptyTerritories(ws);
    for (const NewTerritory& nt : d.territories) addTerritory(t, nt.id, nt.name, nt.owner);
    Scenario sc = scenarioFrom(ws, std::move(t), locked, std::move(name));
    for (std::size_t r = 0; r < sc.assignment.size() && r < d.start.size(); ++r) sc.assignment[r] = d.start[r];
    return sc;
}
} // namespace

Scenario repScenario(const Workspace& ws, std::span<const std::uint8_t> locked,
                     std::vector<std::string>& warnings) {
    TerritoryDraft d = repDraft(ws);
    warnings.insert(warnings.end(), d.warnings.begin(), d.warnings.end());
    return draftScenario(ws, d, locked, "By rep");
}

Scenario freshScenario(const Workspace& ws, std::size_t territories, std::span<const std::uint8_t> locked) {
    return draftScenario(ws, numberedDraft(ws, territories), locked, "Optimised");
}

BalanceOptions firstRunOptions(const Workspace& ws) {
    BalanceOptions o = balanceOptionsFor(ws);
    o.metrics = {{"potential", kFirstRun.potentialTolerance}, {"workload", kFirstRun.workloadTolerance}};
    o.contiguous = kFirstRun.contiguous;
    o.moveCustomers = kFirstRun.moveCustomers;
    o.maxMovedAccounts = kFirstRun.maxMovedAccounts;
    o.maxMovedValue = kFirstRun.maxMovedValue;
    return o;
}

// [SECTION] job
BalanceJob::BalanceJob(std::shared_ptr<const BalanceProblem> problem, BalanceOptions options,
                       std::shared_ptr<const SiteGraph> graph)
    : m_problem(problem), m_opt(std::move(problem), std::move(options), std::move(graph)) {}

bool BalanceJob::step(double budgetMs) {
    if (cancelled()) m_opt.cancel();
    if (m_opt.hasPlan()) return m_opt.step(budgetMs);
    // Until the optimiser has its first plan it works in short steps and hands the frame back as
    // soon as it has one, so the map previews that plan before the run goes on: a small run would
    // otherwise start and finish inside one slice, with no preview and no progress shown. The plan
    // does not depend on how the run is sliced.
    Stopwatch clock;
    do {
        if (m_opt.step(std::min(5.0, std::max(0.0, budgetMs - clock.ms())))) return true;
        if (m_opt.hasPlan()) return false;
    } while (clock.ms() < budgetMs);
    return false;
}

std::vector<std::int32_t> BalanceJob::preview() const {
    return toScenarioRows(*m_problem, m_opt.snapshot());
}

ImproveJob::ImproveJob(std::shared_ptr<const BalanceProblem> problem, BalanceOptions options, double seconds)
    : m_problem(std::move(problem)), m_options(std::move(options)), m_seconds(seconds) {}

bool ImproveJob::step(double budgetMs) {
    if (!m_improver) { // the graph first (one slice), then the search
        m_graph = contiguityGraph(*m_problem);
        ImproveOptions io;
        io.objective = m_options.compactness;
        io.timeLimitMs = m_seconds * 1000.0;
        io.seed = m_options.seed;
        disruptionLimits(*m_problem, m_options, io.maxMovedAccounts, io.maxMovedValue);
        m_improver = std::make_unique<Improver>(*m_problem, m_graph, m_problem->current, io);
        return false;
    }
    if (cancelled()) m_improver->cancel();
    return m_improver->step(budgetMs);
}

std::string ImproveJob::detail() const {
    if (!m_improver) return "Preparing the contiguity graph";
    return std::string("Improving ") + compactnessName(m_options.compactness) + ": " + std::to_string(m_improver->iterations()) +
           " moves tried";
}

std::vector<std::int32_t> ImproveJob::preview() const {
    return toScenarioRows(*m_problem, m_improver ? m_improver->best() : m_problem->current);
}

// [SECTION] apply
std::vector<std::int32_t> toScenarioRows(const BalanceProblem& p, std::span<const std::int32_t> plan) {
    std::vector<std::int32_t> rows(plan.size(), -1);
    for (std::size_t i = 0; i < plan.size(); ++i)
        if (plan[i] >= 0) rows[i] = p.territoryRow[static_cast<std::size_t>(plan[i])];
    return rows;
}

ApplyAssignment planCommand(const BalanceProblem& p, std::span<const std::int32_t> plan, std::string source) {
    ApplyAssignment cmd;
    cmd.source = std::move(source);
    for (std::size_t i = 0; i < plan.size() && i < p.accounts; ++i) {
        if (plan[i] < 0 || plan[i] == p.current[i]) continue;
        cmd.accounts.push_back(static_cast<std::uint32_t>(i));
        cmd.to.push_back(p.territoryRow[static_cast<std::size_t>(plan[i])]);
    }
    return cmd;
}

std::size_t addPlanScenario(Workspace& ws, std::size_t base, const BalanceProblem& p,
                            std::span<const std::int32_t> plan, std::string name, std::string source,
                            std::uint64_t seed) {
    const std::size_t idx = ws.addScenarioCopy(base, std::move(name));
    Scenario& sc = ws.scenarios[idx];
    sc.origin = "optimiser";
    sc.seed = seed;
    const CommandResult r = execute(ws, sc, planCommand(p, plan, std::move(source)));
    if (!r.ok) {
        ws.scenarios.pop_back();
        throw std::runtime_error("the plan could not be applied: " + r.error);
    }
    return idx;
}

std::size_t addPlanScenario(Workspace& ws, std::size_t base, const BalanceProblem& p, const BalanceResult& r,
                            std::string name) {
    return addPlanScenario(ws, base, p, r.assignment, std::move(name),
                           "optimiser (seed " + std::to_string(r.seed) + ")", r.seed);
}

// [SECTION] rebalance
RebalanceProposal proposeRebalance(const BalanceProblem& p, const SiteGraph& g, const BalanceOptions& options,
                                   std::size_t maxMoves) {
    RebalanceProposal out;
    out.before = evaluatePlan(p, g, p.current, options.fixedCentres);
    std::vector<double> cx, cy;
    territoryCentres(p, p.current, options.fixedCentres, cx, cy);
    PlanState state(p, g, p.current, options.contiguous, 1e300, 1e300, cx, cy);
    out.moves = rebalanceMoves(state, maxMoves);
    out.assignment = state.assignment();
    out.after = evaluatePlan(p, g, out.assignment, options.fixedCentres);
    out.feasible = state.totalHard() <= 0;
    if (!out.feasible) {
        std::string dev;
        for (std::size_t m = 0; m < p.M(); ++m) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "%s%s %.2f%% (tolerance %.2f%%)", dev.empty() ? "" : ", ",
                          p.metricName[m].c_str(), out.after.maxDeviation[m] * 100.0, p.tolerance[m] * 100.0);
            dev += buf;
        }
        std::string why = "no further move to a neighbouring territory reduces the excess";
        if (state.refusedContiguity > 0)
            why = "keeping territories contiguous blocks the remaining moves";
        else if (state.refusedFixed > 0)
            why = "locked accounts and kept customers block the remaining moves";
        out.reason = why + ". Best achieved max deviation: " + dev;
    }
    return out;
}

// [SECTION] trade-off
TradeoffJob::TradeoffJob(std::shared_ptr<const BalanceProblem> problem, BalanceOptions options,
                         TradeoffOptions sweep, std::shared_ptr<const SiteGraph> graph)
    : m_problem(std::move(problem)), m_options(std::move(options)), m_graph(std::move(graph)) {
    for (double t : sweep.toleranceScales)
        for (double b : sweep.budgets) m_plan.push_back({b, t});
}

void TradeoffJob::startPoint() {
    const auto [budget, scale] = m_plan[m_next];
    std::shared_ptr<const BalanceProblem> prob = m_problem;
    if (scale != 1.0) {
        auto copy = std::make_shared<BalanceProblem>(*m_problem);
        for (double& t : copy->tolerance) t = std::min(0.99, t * scale);
        prob = copy;
    }
    BalanceOptions o = m_options;
    o.maxMovedAccounts = std::min(o.maxMovedAccounts, budget);
    o.maxMovedValue = std::min(o.maxMovedValue, budget);
    m_runProblem = prob;
    m_run = std::make_unique<Optimiser>(prob, o, m_graph);
}

bool TradeoffJob::step(double budgetMs) {
    Stopwatch clock;
    while (m_next < m_plan.size()) {
        if (cancelled()) return true;
        if (!m_run) startPoint();
        const double left = budgetMs - clock.ms();
        if (m_run->step(std::max(0.0, left))) {
            if (!m_graph) m_graph = m_run->graph();
            TradeoffPoint pt;
            pt.budget = m_plan[m_next].first;
            pt.toleranceScale = m_plan[m_next].second;
            pt.problem = m_runProblem;
            pt.result = m_run->result();
            for (double d : pt.result.figures.maxDeviation) pt.balance = std::max(pt.balance, d);
            m_points.push_back(std::move(pt));
            m_run.reset();
            ++m_next;
        }
        if (clock.ms() >= budgetMs) break;
    }
    return m_next >= m_plan.size();
}

double TradeoffJob::progress() const {
    if (m_plan.empty()) return 1.0;
    return (static_cast<double>(m_next) + (m_run ? m_run->progress() : 0.0)) /
           static_cast<double>(m_plan.size());
}

std::string TradeoffJob::detail() const {
    if (m_next >= m_plan.size()) return "Done";
    return "Plan " + std::to_string(m_next + 1) + " of " + std::to_string(m_plan.size()) + " (budget " +
           formatDouble(m_plan[m_next].first) + "): " + (m_run ? m_run->detail() : std::string());
}

std::vector<TradeoffPoint> tradeoffSweep(std::shared_ptr<const BalanceProblem> problem,
                                         const BalanceOptions& options, const TradeoffOptions& sweep,
                                         std::shared_ptr<const SiteGraph> graph) {
    TradeoffJob job(std::move(problem), options, sweep, std::move(graph));
    runToCompletion(job);
    return job.points();
}

// [SECTION] sizing
SizingResult sizeTerritories(const Workspace& ws, std::span<const std::uint8_t> locked,
                             const std::vector<SizingLimit>& limits, BalanceOptions options,
                             std::size_t maxTerritories) {
    SizingResult out;
    if (limits.empty())
        throw BalanceInputError("name at least one limit (e.g. accounts:120 or workload:1500)");
    std::vector<std::vector<double>> values;
    double lower = 1;
    for (const SizingLimit& l : limits) {
        if (!(l.limit > 0)) throw BalanceInputError("the limit of " + l.metric + " must be positive");
        values.push_back(accountMetricValues(ws, l.metric));
        double total = 0, biggest = 0;
        std::size_t big = 0;
        for (std::size_t i = 0; i < values.back().size(); ++i) {
            const double v = std::max(0.0, values.back()[i]);
            total += v;
            if (v > biggest) biggest = v, big = i;
        }
        if (biggest > l.limit) {
            out.reason = "account " +
                         std::string(ws.accounts().str(ws.accounts().indexOf("account_id"), big)) +
                         " alone has " + l.metric + " " + formatDouble(biggest) + ", above the limit " +
                         formatDouble(l.limit);
            return out;
        }
        lower = std::max(lower, std::ceil(total / l.limit - 1e-9));
    }
    out.lowerBound = static_cast<std::size_t>(lower);
    std::shared_ptr<const SiteGraph> graph;
    struct Trial {
        bool ok = false;
        std::shared_ptr<const BalanceProblem> problem;
        BalanceResult plan;
        std::vector<double> maxLoad;
    };
    auto attempt = [&](std::size_t K) {
        Trial t;
        Scenario sc = freshScenario(ws, K, locked);
        BalanceOptions o = options;
        o.metrics.clear();
        for (std::size_t j = 0; j < limits.size(); ++j) {
            double total = 0;
            for (double v : values[j]) total += std::max(0.0, v);
            const double target = total / static_cast<double>(K);
            o.metrics.push_back({limits[j].metric, std::clamp(limits[j].limit / target - 1.0, 0.0005, 0.99)});
        }
        t.problem = std::make_shared<const BalanceProblem>(makeBalanceProblem(ws, sc, o));
        Optimiser run(t.problem, o, graph); // later counts reuse the triangulation
        while (!run.step(1e9)) {
        }
        if (!graph) graph = run.graph();
        t.plan = run.result();
        out.tried.push_back(K);
        t.maxLoad.assign(limits.size(), 0.0);
        t.ok = t.plan.figures.unassigned == 0;
        for (std::size_t j = 0; j < limits.size(); ++j) {
            for (const auto& f : t.plan.figures.territories)
                t.maxLoad[j] = std::max(t.maxLoad[j], f.totals[j]);
            t.ok = t.ok && t.maxLoad[j] <= limits[j].limit * (1 + 1e-9);
        }
        return t;
    };
    auto adopt = [&](Trial& t, std::size_t K) {
        out.problem = t.problem;
        out.plan = std::move(t.plan);
        out.maxLoad = t.maxLoad;
        out.territories = K;
    };
    std::vector<std::size_t> steps;
    for (std::size_t k = out.lowerBound; k < out.lowerBound + 4; ++k) steps.push_back(k);
    for (double f : {1.1, 1.25, 1.5, 2.0}) steps.push_back(static_cast<std::size_t>(std::ceil(lower * f)));
    std::size_t lastFail = out.lowerBound - 1, lastTried = 0;
    for (std::size_t K : steps) {
        if (K > maxTerritories || K <= lastTried) continue;
        lastTried = K;
        Trial t = attempt(K);
        if (!t.ok) {
            if (!out.problem) adopt(t, K);
            lastFail = K;
            continue;
        }
        // Narrow down between the last failure and this success.
        std::size_t lo = lastFail, hi = K;
        adopt(t, K);
        while (hi - lo > 1) {
            const std::size_t mid = lo + (hi - lo) / 2;
            Trial m = attempt(mid);
            if (m.ok) {
                adopt(m, mid);
                hi = mid;
            } else {
                lo = mid;
            }
        }
        out.feasible = true;
        std::sort(out.tried.begin(), out.tried.end());
        return out;
    }
    out.reason = "no plan with up to " + std::to_string(lastTried) +
                 " territories keeps every territory within the limits";
    std::sort(out.tried.begin(), out.tried.end());
    return out;
}

} // namespace terrane::territory
