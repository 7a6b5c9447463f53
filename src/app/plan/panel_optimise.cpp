// The territory optimiser window (Plan > Optimise territories...): shared settings (metrics with
// tolerances, compactness, contiguity, disruption budget, seed), the territories a scenario with
// none starts from (one per rep or N, as `terrane balance --by-rep` / `--territories K`), and four tabs — Optimise (a
// sliced job with a live map preview; the plan becomes a new scenario), Rebalance (the fewest
// moves back inside tolerance, previewed before it is applied), Trade-off (a sweep over
// disruption budgets; a click opens a point as a scenario) and Sizing (how many territories keep
// every territory under a limit).
//
// Index
//  [SECTION] start      a scenario with no territories: create them (by rep or N) first
//  [SECTION] settings   metric choices, options, the settings block
//  [SECTION] optimise   run, preview, outcome
//  [SECTION] rebalance  proposal and apply
//  [SECTION] trade-off  sweep and chart
//  [SECTION] sizing     limits and answer
//  [SECTION] window     the window and the test hook
#include "app/app.hpp"
#include "app/widgets.hpp"
#include "app/charts.hpp"
#include "core/base/format.hpp"
#include "app/theme.hpp"
#include "core/scenario/metrics.hpp"
#include "core/territory/figures.hpp"
#include "platform/platform.hpp"

#include <imgui.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>

namespace terrane {

using namespace territory;

// [SECTION] start
bool createTerritories(App& app, const std::function<TerritoryDraft()>& draft, const std::string& source) {
    TerritoryDraft d;
    try {
        d = draft();
    } catch (const std::exception& e) {
        app.notify(std::string("No territories created: ") + e.what());
        return false;
    }
    const CreateTerritories cmd = draftCommand(app.workspace().active(), d, source);
    const std::size_t placed = cmd.accounts.size();
    if (!app.runCommand(cmd)) return false;
    std::string msg = "Created " + fmt::countOf(d.territories.size(), "territory", "territories") + " (" + source + "), " +
                      fmt::countOf(placed, "account", "accounts") + " placed, in " + app.workspace().active().name;
    for (const std::string& w : d.warnings) msg += "; " + w;
    app.notify(msg);
    return true;
}

namespace {
// Whether the run must create territories first, and which: 0 one per rep, 1 numbered.
bool needsTerritories(const App& app) { return app.workspace().active().leaves().empty(); }
int startChoice(const App& app) {
    const OptimiseUi& o = app.ui().optimise;
    if (o.startFrom >= 0 && (o.startFrom == 1 || app.workspace().reps().rows() > 0)) return o.startFrom;
    return app.workspace().reps().rows() > 0 ? 0 : 1;
}

void drawStart(App& app) {
    OptimiseUi& o = app.ui().optimise;
    const Workspace& ws = app.workspace();
    const std::size_t reps = ws.reps().rows();
    int from = startChoice(app);
    ImGui::PushStyleColor(ImGuiCol_Text, accentColor(app.ui().theme));
    ImGui::TextWrapped("%s has no territories yet. Optimise creates them first (one undoable edit), then balances them:",
                       ws.active().name.c_str());
    ImGui::PopStyleColor();
    ImGui::BeginDisabled(reps == 0);
    const std::string byRep = "One territory per rep (" + fmt::countOf(reps, "rep", "reps") +
                              (ws.settings.metrics.capacityAdjusted ? ", capacity-weighted targets)" : ", equal targets)");
    if (ImGui::RadioButton(byRep.c_str(), from == 0)) o.startFrom = 0;
    markTarget(app, "optimise.startByRep");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip(reps == 0 ? "Import a reps file first (one row per rep or seat)"
                                    : "Each rep owns one territory; accounts start with their CRM owner.\n"
                                      "Same as terrane balance --by-rep");
    ImGui::EndDisabled();
    if (ImGui::RadioButton("##numbered", from == 1)) o.startFrom = 1;
    markTarget(app, "optimise.startNumbered");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(px(app, 110));
    ImGui::InputInt("territories (T01, T02, ...; equal targets)", &o.startTerritories);
    o.startTerritories = std::clamp(o.startTerritories, 1, 100000);
    ImGui::TextDisabled("A new plan: the disruption budget above does not apply.");
}

// Creates the chosen territories in the active scenario; false (with a notice) when refused.
bool createStartTerritories(App& app) {
    const int from = startChoice(app);
    const Workspace& ws = app.workspace();
    if (from == 0) return createTerritories(app, [&ws] { return repDraft(ws); }, "one per rep");
    const std::size_t k = static_cast<std::size_t>(std::max(1, app.ui().optimise.startTerritories));
    return createTerritories(app, [&ws, k] { return numberedDraft(ws, k); }, fmt::count(k) + " numbered");
}
} // namespace

// [SECTION] settings
std::vector<MetricChoice> optimiseMetricChoices(const App& app) {
    std::vector<MetricChoice> out = {{"potential", "Potential ($)"},   {"workload", "Workload (hours)"},
                                     {"accounts", "Account count"},     {"arr", "ARR ($)"},
                                     {"pipeline", "Open pipeline ($)"}, {"customers", "Customers"},
                                     {"whitespace", "Whitespace ($)"}};
    const Table& acc = app.workspace().accounts();
    static const char* kSkip[] = {"lat", "lon", "x", "y", "potential", "arr", "workload", "employees_band"};
    for (std::size_t c = 0; c < acc.columnCount(); ++c) {
        const Column& col = acc.column(c);
        if (!isNumericType(col.type())) continue;
        if (std::find_if(std::begin(kSkip), std::end(kSkip), [&](const char* s) { return col.name() == s; }) != std::end(kSkip))
            continue;
        if (isBuiltInMetric(col.name())) continue;
        out.push_back({col.name(), col.name() + " (column)"});
    }
    return out;
}

BalanceOptions optimiseOptions(const App& app) {
    const OptimiseUi& o = app.ui().optimise;
    BalanceOptions b = balanceOptionsFor(app.workspace());
    const auto choices = optimiseMetricChoices(app);
    for (const auto& r : o.rows) {
        if (!r.on || r.metric < 0 || static_cast<std::size_t>(r.metric) >= choices.size()) continue;
        if (std::any_of(b.metrics.begin(), b.metrics.end(),
                        [&](const BalanceMetric& m) { return m.name == choices[static_cast<std::size_t>(r.metric)].name; }))
            continue;
        b.metrics.push_back({choices[static_cast<std::size_t>(r.metric)].name, std::max(0.001, r.tolerancePct / 100.0)});
    }
    b.contiguous = o.contiguous;
    b.compactness = static_cast<Compactness>(std::clamp(o.compactness, 0, 2));
    b.fixedCentres = b.compactness == Compactness::Home;
    if (o.improveSeconds > 0) { // then improve until the time is up
        b.timeLimitMs = o.improveSeconds * 1000.0;
        b.improveIterations = std::numeric_limits<std::uint64_t>::max();
    }
    b.moveCustomers = o.moveCustomers;
    b.maxMovedAccounts = std::clamp(o.maxMovedAccountsPct / 100.0, 0.0, 1.0);
    b.maxMovedValue = std::clamp(o.maxMovedValuePct / 100.0, 0.0, 1.0);
    b.seed = static_cast<std::uint64_t>(std::max(0, o.seed));
    return b;
}

namespace {
void drawSettings(App& app) {
    OptimiseUi& o = app.ui().optimise;
    const auto choices = optimiseMetricChoices(app);
    const bool busy = o.job || o.improveJob || o.sweepJob || o.sizingRunning;
    ImGui::BeginDisabled(busy);
    ImGui::TextUnformatted("Balance on (each with its own tolerance)");
    for (int i = 0; i < 3; ++i) {
        OptimiseUi::MetricRow& r = o.rows[i];
        ImGui::PushID(i);
        ImGui::Checkbox("##on", &r.on);
        markTarget(app, "optimise.metric" + std::to_string(i));
        ImGui::SameLine();
        ImGui::BeginDisabled(!r.on);
        ImGui::SetNextItemWidth(px(app, 190));
        r.metric = std::clamp(r.metric, 0, static_cast<int>(choices.size()) - 1);
        if (ImGui::BeginCombo("##metric", choices[static_cast<std::size_t>(r.metric)].label.c_str())) {
            for (std::size_t c = 0; c < choices.size(); ++c)
                if (ImGui::Selectable(choices[c].label.c_str(), static_cast<int>(c) == r.metric)) r.metric = static_cast<int>(c);
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        ImGui::SetNextItemWidth(px(app, 130));
        ImGui::SliderFloat("##tol", &r.tolerancePct, 0.5f, 30.0f, "within +/-%.1f%%", ImGuiSliderFlags_Logarithmic);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Every territory within this share of its target.\nTargets follow the owner's capacity: "
                              "ramping reps and vacant seats get less.");
        ImGui::EndDisabled();
        ImGui::PopID();
    }
    const MetricsOptions& mo = app.workspace().settings.metrics;
    ImGui::TextDisabled("Targets: %s", mo.capacityAdjusted ? ("by capacity (vacant seat " + fmt::percent(mo.vacantCapacity, 0) + ")").c_str()
                                                           : "equal for every territory");
    ImGui::Spacing();
    ImGui::Checkbox("Contiguous (no enclaves)", &o.contiguous);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Every territory one connected piece of the accounts' Delaunay graph");
    ImGui::SameLine(0, px(app, 16));
    static const char* kCompact[] = {"Distance to centre", "Largest diameter", "Distance to home base"};
    o.compactness = std::clamp(o.compactness, 0, 2);
    ImGui::SetNextItemWidth(px(app, 190));
    if (ImGui::BeginCombo("compactness", kCompact[o.compactness])) {
        for (int c = 0; c < 3; ++c) {
            if (ImGui::Selectable(kCompact[c], c == o.compactness)) o.compactness = c;
            markTarget(app, std::string("optimise.compactness") + compactnessName(static_cast<Compactness>(c)));
        }
        ImGui::EndCombo();
    }
    markTarget(app, "optimise.compactness");
    o.fixedCentres = o.compactness == 2;
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Distance to centre: potential-weighted distance to the territory's weighted centre.\n"
                          "Largest diameter: the widest territory's farthest pair of accounts (travel graph paths when imported).\n"
                          "Distance to home base: potential-weighted distance to the owner's home.");
    ImGui::SetNextItemWidth(px(app, 150));
    ImGui::SliderInt("s improving", &o.improveSeconds, 0, 120, o.improveSeconds == 0 ? "first plan only" : "%d s");
    markTarget(app, "optimise.improveSeconds");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("After the first balanced plan, keep improving the compactness for this long\n"
                          "(balance, contiguity, locks and the disruption budget kept). Cancel keeps the best plan.");
    if (app.workspace().table(DatasetKind::Adjacency).rows() > 0)
        ImGui::TextDisabled("Travel graph: %s edges (contiguity and diameters follow it)",
                            fmt::count(app.workspace().table(DatasetKind::Adjacency).rows()).c_str());
    ImGui::BeginDisabled(needsTerritories(app));
    ImGui::TextUnformatted("Disruption budget (share that may change territory)");
    ImGui::SetNextItemWidth(px(app, 170));
    ImGui::SliderFloat("of accounts", &o.maxMovedAccountsPct, 0.0f, 100.0f, "%.0f%%");
    ImGui::SameLine(0, px(app, 12));
    ImGui::SetNextItemWidth(px(app, 170));
    ImGui::SliderFloat("of ARR", &o.maxMovedValuePct, 0.0f, 100.0f, "%.0f%%");
    ImGui::EndDisabled();
    ImGui::Checkbox("Customers may change rep", &o.moveCustomers);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Off: accounts with ARR keep their territory");
    ImGui::SameLine(0, px(app, 16));
    ImGui::SetNextItemWidth(px(app, 90));
    ImGui::InputInt("seed", &o.seed);
    o.seed = std::max(0, o.seed);
    const Scenario& sc = app.workspace().active();
    std::size_t locked = 0;
    for (std::uint8_t l : sc.locked) locked += l;
    ImGui::TextDisabled("Starts from %s: %s accounts, %s locked (never moved)", sc.name.c_str(),
                        fmt::count(app.workspace().accounts().rows()).c_str(), fmt::count(locked).c_str());
    if (needsTerritories(app)) drawStart(app);
    ImGui::EndDisabled();
}

// A problem for the active scenario with the window's settings; sets `o.error` and returns null
// when the data cannot be balanced.
std::shared_ptr<const BalanceProblem> makeProblem(App& app, const BalanceOptions& opt, std::string& error) {
    error.clear();
    if (opt.metrics.empty()) {
        error = "Choose at least one metric to balance.";
        return nullptr;
    }
    try {
        return std::make_shared<const BalanceProblem>(makeBalanceProblem(app.workspace(), app.workspace().active(), opt));
    } catch (const std::exception& e) {
        error = e.what();
        return nullptr;
    }
}

// [SECTION] optimise
void fillObjective(OptimiseUi::Outcome& out, const BalanceResult& r) {
    out.compactness = compactnessName(r.compactness);
    out.objective = r.objective;
    out.firstObjective = r.firstObjective;
    out.maxDiameter = r.figures.maxDiameter;
    out.boundKnown = r.lowerBound.known;
    out.lowerBound = r.lowerBound.value;
    out.boundBasis = r.lowerBound.basis;
    out.history = r.history;
    out.improveIterations = r.improveIterations;
    for (ObjectivePoint& h : out.history) h.ms = h.ms + r.runtimeMs - r.improveMs;
}

// "Keep improving": the improver on the active scenario (the plan the last run made) for the
// chosen time (at least 5 s); the better plan is applied to it as one undoable edit.
void startImprove(App& app) {
    OptimiseUi& o = app.ui().optimise;
    BalanceOptions opt = optimiseOptions(app);
    opt.timeLimitMs = 0;
    auto problem = makeProblem(app, opt, o.error);
    if (!problem) return;
    auto job = std::make_shared<ImproveJob>(problem, opt, std::max(5, o.improveSeconds));
    o.improveJob = job;
    o.jobStartedMs = platform::nowMs();
    const std::size_t scenario = app.workspace().activeScenario;
    const std::uint64_t dataVersion = app.ui().dataVersion;
    app.startJob(std::move(job), [&app, scenario, dataVersion](Job& j) {
        OptimiseUi& oo = app.ui().optimise;
        auto& ij = static_cast<ImproveJob&>(j);
        oo.improveJob.reset();
        app.map().setPreview(app, {});
        if (!ij.improver()) return;
        const Improver& im = *ij.improver();
        const BalanceProblem& p = ij.problem();
        Workspace& ws = app.workspace();
        if (ws.activeScenario != scenario || app.ui().dataVersion != dataVersion || ws.accounts().rows() != p.accounts) {
            app.notify("The workspace changed while improving; nothing applied");
            return;
        }
        OptimiseUi::Outcome& out = oo.outcome;
        const double offset = out.history.empty() ? 0.0 : out.history.back().ms;
        for (const ObjectivePoint& h : im.history()) out.history.push_back({offset + h.ms, out.improveIterations + h.iteration, h.objective});
        out.improveIterations += im.iterations();
        const PlanFigures f = evaluatePlan(p, ij.graph(), im.best(), ij.options().fixedCentres);
        const bool better = im.bestObjective() < im.startObjective();
        if (better && !app.runCommand(planCommand(p, im.best(), std::string("keep improving (") + compactnessName(ij.options().compactness) + ")")))
            return;
        out.compactness = compactnessName(ij.options().compactness);
        out.objective = ij.options().compactness == Compactness::Diameter ? f.maxDiameter : f.weightedMeanDistance;
        out.maxDiameter = f.maxDiameter;
        out.weightedMeanDistance = f.weightedMeanDistance;
        out.movedAccountsShare = f.movedAccountsShare;
        out.contiguous = f.contiguous;
        const LowerBound lb = objectiveLowerBound(p, ij.options().compactness);
        out.boundKnown = lb.known, out.lowerBound = lb.value, out.boundBasis = lb.basis;
        app.notify(better ? "Improved " + out.compactness + ": " + fmt::fixed(im.startObjective(), 1) + " -> " + fmt::fixed(im.bestObjective(), 1)
                          : "No better plan found; nothing changed");
    });
}

// The objective over time (seconds), the lower bound as a reference line.
void drawObjectiveChart(App& app, const OptimiseUi::Outcome& r) {
    if (r.history.size() < 2) return;
    double x1 = 0, y0 = 1e300, y1 = 0;
    for (const ObjectivePoint& h : r.history) x1 = std::max(x1, h.ms / 1000.0), y0 = std::min(y0, h.objective), y1 = std::max(y1, h.objective);
    if (r.boundKnown) y0 = std::min(y0, r.lowerBound);
    const double pad = std::max(1e-9, (y1 - y0) * 0.1);
    charts::Plot pl = charts::beginPlot("##objective", ImVec2(px(app, 420), px(app, 120)), 0, std::max(x1, 1e-3), y0 - pad, y1 + pad,
                                        [](double v) { return fmt::fixed(v, 1); }, app.ui().pixelRatio, 56.0f, 20.0f);
    markTarget(app, "optimise.objectiveChart");
    for (double t : charts::niceTicks(0, std::max(x1, 1e-3), 5)) charts::xLabel(pl, t, fmt::fixed(t, 1) + " s", charts::textColor());
    if (r.boundKnown) charts::hline(pl, r.lowerBound, charts::amberColor(app.ui().theme == Theme::Dark), "lower bound");
    const ImU32 col = ImGui::GetColorU32(ImGuiCol_PlotLines);
    for (std::size_t i = 1; i < r.history.size(); ++i) {
        // A step: the best so far holds until the next improvement.
        const ImVec2 a(pl.x(r.history[i - 1].ms / 1000.0), pl.y(r.history[i - 1].objective));
        const ImVec2 b(pl.x(r.history[i].ms / 1000.0), pl.y(r.history[i].objective));
        pl.dl->AddLine(a, ImVec2(b.x, a.y), col, 2.0f * pl.pr);
        pl.dl->AddLine(ImVec2(b.x, a.y), b, col, 2.0f * pl.pr);
    }
}

void startOptimise(App& app) {
    OptimiseUi& o = app.ui().optimise;
    // A scenario with no territories gets them first, as `terrane balance --by-rep` or
    // `--territories K` make them; a new plan has no disruption budget (and numbered territories
    // no home bases), as in the CLI.
    std::string created;
    const bool fresh = needsTerritories(app);
    const bool numbered = fresh && startChoice(app) == 1;
    if (fresh) {
        if (optimiseOptions(app).metrics.empty()) {
            o.error = "Choose at least one metric to balance.";
            return;
        }
        if (!createStartTerritories(app)) {
            o.error = app.ui().statusMessage;
            return;
        }
        created = app.ui().statusMessage;
    }
    BalanceOptions opt = optimiseOptions(app);
    if (fresh) {
        opt.maxMovedAccounts = opt.maxMovedValue = 1.0;
        if (numbered) opt.fixedCentres = false;
    }
    std::shared_ptr<const BalanceProblem> problem;
    {
        PartTimer t(app.ui(), "optimise.problem");
        problem = makeProblem(app, opt, o.error);
    }
    if (!problem) return;
    o.problem = problem;
    o.outcome = OptimiseUi::Outcome{};
    auto job = std::make_shared<BalanceJob>(problem, opt);
    o.job = job;
    o.jobStartedMs = platform::nowMs();
    o.previewAtMs = 0; // the first preview comes with the run's first plan
    o.progressFrames = 0;
    o.previewUpdates = 0;
    const std::size_t base = app.workspace().activeScenario;
    const std::string baseName = app.workspace().active().name;
    const std::uint64_t dataVersion = app.ui().dataVersion;
    std::string name = o.name;
    if (name.empty()) name = app.workspace().freshScenarioName("Optimised");
    app.startJob(std::move(job), [&app, base, baseName, dataVersion, name, created, contiguous = opt.contiguous](Job& j) {
        OptimiseUi& oo = app.ui().optimise;
        auto& bj = static_cast<BalanceJob&>(j);
        oo.job.reset(); // the run is over for the window from here on
        app.map().setPreview(app, {});
        OptimiseUi::Outcome out;
        out.valid = true;
        out.cancelled = j.cancelled() && !bj.finished();
        out.wallMs = platform::nowMs() - oo.jobStartedMs;
        if (out.cancelled) {
            oo.outcome = out;
            app.notify("Optimisation cancelled; nothing changed");
            return;
        }
        const BalanceResult& r = bj.result();
        const BalanceProblem& p = bj.problem();
        out.feasible = r.feasible;
        out.reason = r.reason;
        out.blocking = r.blocking;
        out.warnings = r.warnings;
        out.created = created;
        out.lockedInEnclaves = r.lockedInEnclaves;
        out.askedContiguous = contiguous;
        out.inside = r.figures.unassigned == 0 && (!contiguous || r.figures.contiguous);
        for (std::size_t m = 0; m < p.M(); ++m)
            out.inside = out.inside && r.figures.maxDeviationBalanceable[m] <= p.tolerance[m] + kToleranceSlack;
        for (std::size_t i = 0; i < p.accounts; ++i) out.oversize += p.inPlan(i) && p.oversize[i] ? 1 : 0;
        out.metricNames = p.metricName;
        out.maxDeviation = r.figures.maxDeviation;
        out.maxDeviationBalanceable = r.figures.maxDeviationBalanceable;
        out.tolerance = p.tolerance;
        out.weightedMeanDistance = r.figures.weightedMeanDistance;
        out.movedAccountsShare = r.figures.movedAccountsShare;
        out.movedValueShare = r.figures.movedValueShare;
        out.contiguous = r.figures.contiguous;
        out.runtimeMs = r.runtimeMs;
        out.accounts = p.accounts;
        out.territories = p.K();
        out.seed = r.seed;
        out.distanceUnit = p.geo.system() == CoordSystem::LatLon ? "km" : "units";
        fillObjective(out, r);
        try {
            PartTimer t(app.ui(), "optimise.scenario");
            Workspace& ws = app.workspace();
            // The plan belongs to the data and scenario it started from: an edit, an import or a
            // switch of scenario while it ran makes it stale.
            if (base >= ws.scenarios.size() || ws.scenarios[base].name != baseName || app.ui().dataVersion != dataVersion ||
                ws.accounts().rows() != p.accounts)
                throw std::runtime_error("the workspace changed while it ran; optimise again");
            const std::size_t idx = addPlanScenario(ws, base, p, r, name);
            out.scenario = ws.scenarios[idx].name;
            app.setActiveScenario(idx);
            app.notify("Optimised plan: " + out.scenario +
                       (out.inside ? " (every metric inside its tolerance)" : " (not every tolerance met: see Plan > Optimise)"));
        } catch (const std::exception& e) {
            out.reason = e.what();
            app.notify(std::string("The plan could not become a scenario: ") + e.what());
        }
        oo.outcome = out;
        oo.name[0] = 0;
    });
}

// Live preview: the plan so far colours the map a few times a second, or less often where drawing
// the map afresh is slow (a million accounts without a GPU): previews take at most about a tenth
// of the run's wall time after the first, which comes as soon as the optimiser has a plan (until
// then the map already shows the plan it starts from).
void updatePreview(App& app) {
    OptimiseUi& o = app.ui().optimise;
    const bool improving = o.improveJob && o.improveJob->hasPlan();
    if (!improving && (!o.job || !o.job->hasPlan())) return;
    const double now = platform::nowMs();
    if (o.previewAtMs > 0 && now - o.previewAtMs < previewIntervalMs(app.ui().fullDrawFrameMs)) return;
    o.previewAtMs = now;
    app.map().setPreview(app, improving ? o.improveJob->preview() : o.job->preview());
    ++o.previewUpdates;
}

// Max deviation per metric (before and after when `before` is given), the headline figures
// without the `oversize` accounts larger than any territory's band (they keep their territory and
// the others are balanced around them); `withOversize`, when they exist, is the deviation with them.
void drawDeviationTable(App& app, const std::vector<std::string>& names, const std::vector<double>& before,
                        const std::vector<double>& after, const std::vector<double>& tolerance,
                        const std::vector<double>& withOversize, std::size_t oversize) {
    const bool hasBefore = !before.empty();
    const bool hasRest = oversize > 0 && withOversize.size() == after.size();
    if (hasRest)
        ImGui::TextWrapped("Deviations leave out %s larger than a territory's share; %s their territory and the "
                           "other accounts are balanced around them.",
                           fmt::countOf(oversize, "oversize account", "oversize accounts").c_str(), oversize == 1 ? "it keeps" : "they keep");
    if (!ImGui::BeginTable("dev", 3 + (hasBefore ? 1 : 0) + (hasRest ? 1 : 0),
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit))
        return;
    ImGui::TableSetupColumn("Metric");
    if (hasBefore) ImGui::TableSetupColumn("Max deviation before");
    ImGui::TableSetupColumn(hasBefore ? "after" : "Max deviation");
    if (hasRest) ImGui::TableSetupColumn("with oversize accounts");
    ImGui::TableSetupColumn("Tolerance");
    tableHeaders();
    const Theme th = app.ui().theme;
    for (std::size_t m = 0; m < names.size(); ++m) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(names[m].c_str());
        if (hasBefore) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::percent(before[m]).c_str());
        }
        ImGui::TableNextColumn();
        const bool ok = after[m] <= tolerance[m] + kToleranceSlack;
        ImGui::PushStyleColor(ImGuiCol_Text, ok ? goodColor(th) : badColor(th));
        ImGui::TextUnformatted(fmt::percent(after[m]).c_str());
        ImGui::PopStyleColor();
        if (hasRest) {
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", fmt::percent(withOversize[m]).c_str());
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("The deviation counting the oversize accounts: the territories that hold them are over\n"
                                  "their target by those accounts alone, whatever the plan.");
        }
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(("+/-" + fmt::percent(tolerance[m], 1)).c_str());
    }
    ImGui::EndTable();
}

void drawOptimiseTab(App& app) {
    OptimiseUi& o = app.ui().optimise;
    ImGui::TextWrapped("Location-allocation with an exactly balanced assignment (min-cost flow), then boundary shifts and "
                       "swaps. The plan becomes a new scenario; %s is not changed.",
                       app.workspace().active().name.c_str());
    ImGui::SetNextItemWidth(px(app, 260));
    const std::string hint = app.workspace().freshScenarioName("Optimised");
    ImGui::InputTextWithHint("new scenario name", hint.c_str(), o.name, sizeof o.name);
    if (o.job) {
        ++o.progressFrames;
        ImGui::ProgressBar(static_cast<float>(o.job->progress()), ImVec2(px(app, 320), 0));
        ImGui::SameLine();
        if (ImGui::Button("Cancel")) o.job->cancel();
        markTarget(app, "optimise.cancel");
        ImGui::TextDisabled("%s - the map shows the plan as it forms", o.job->detail().c_str());
    } else {
        ImGui::BeginDisabled(o.sweepJob || o.sizingRunning || o.improveJob);
        if (ImGui::Button("Optimise")) startOptimise(app);
        markTarget(app, "optimise.run");
        ImGui::EndDisabled();
    }
    if (!o.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, badColor(app.ui().theme));
        ImGui::TextWrapped("Cannot optimise: %s", o.error.c_str());
        ImGui::PopStyleColor();
    }
    const OptimiseUi::Outcome& r = o.outcome;
    if (!r.valid || o.job) return;
    ImGui::Separator();
    if (r.cancelled) {
        ImGui::TextUnformatted("Cancelled; nothing changed.");
        return;
    }
    const Theme th = app.ui().theme;
    ImGui::PushStyleColor(ImGuiCol_Text, r.inside ? goodColor(th) : badColor(th));
    if (r.inside && r.oversize > 0)
        ImGui::TextWrapped("Every metric is inside its tolerance around %s (each keeps its territory).",
                           fmt::countOf(r.oversize, "oversize account", "oversize accounts").c_str());
    else
        ImGui::TextWrapped("%s", r.inside ? "Every metric is inside its tolerance." : ("Not every tolerance can be met: " + r.reason).c_str());
    ImGui::PopStyleColor();
    markTarget(app, "optimise.headline");
    if (!r.created.empty()) ImGui::TextWrapped("%s.", r.created.c_str());
    if (!r.scenario.empty())
        ImGui::Text("New scenario: %s (%s accounts, %s territories, seed %llu, %.0f ms computing, %.1f s in the page)",
                    r.scenario.c_str(), fmt::count(r.accounts).c_str(), fmt::count(r.territories).c_str(),
                    static_cast<unsigned long long>(r.seed), r.runtimeMs, r.wallMs / 1000.0);
    drawDeviationTable(app, r.metricNames, {}, r.maxDeviationBalanceable, r.tolerance, r.maxDeviation, r.oversize);
    ImGui::Text("Compactness: %s %s potential-weighted mean distance to the territory centre; largest diameter %s %s",
                fmt::fixed(r.weightedMeanDistance, 1).c_str(), r.distanceUnit.c_str(), fmt::fixed(r.maxDiameter, 1).c_str(),
                r.distanceUnit.c_str());
    ImGui::Text("Objective (%s): %s, first plan %s", r.compactness.c_str(), fmt::fixed(r.objective, 1).c_str(),
                fmt::fixed(r.firstObjective, 1).c_str());
    markTarget(app, "optimise.objective");
    if (r.boundKnown) {
        ImGui::Text("Lower bound %s: at most %s above the optimum", fmt::fixed(r.lowerBound, 1).c_str(),
                    fmt::percent(r.lowerBound > 0 ? r.objective / r.lowerBound - 1 : 0.0).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", r.boundBasis.c_str());
    } else {
        ImGui::TextDisabled("No lower bound: %s", r.boundBasis.c_str());
    }
    drawObjectiveChart(app, r);
    if (o.improveJob) {
        ImGui::ProgressBar(static_cast<float>(o.improveJob->progress()), ImVec2(px(app, 320), 0));
        ImGui::SameLine();
        if (ImGui::Button("Stop (keep the best)")) o.improveJob->cancel();
        markTarget(app, "optimise.stopImproving");
        ImGui::TextDisabled("%s", o.improveJob->detail().c_str());
    } else if (!r.scenario.empty()) {
        ImGui::BeginDisabled(o.sweepJob || o.sizingRunning || app.workspace().active().name != r.scenario);
        if (ImGui::Button("Keep improving")) startImprove(app);
        markTarget(app, "optimise.keepImproving");
        ImGui::EndDisabled();
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("Continue improving %s for %d s (the objective chosen above); one undoable edit",
                              r.scenario.c_str(), std::max(5, o.improveSeconds));
    }
    ImGui::Text("Disruption: %s of accounts and %s of ARR change territory; %s", fmt::percent(r.movedAccountsShare).c_str(),
                fmt::percent(r.movedValueShare).c_str(), r.contiguous ? "every territory is contiguous" : "some territories have enclaves");
    // Bullets wrap at the window's edge, continuation lines under the first line's text.
    auto bullet = [](const std::string& text) {
        ImGui::Bullet();
        ImGui::TextWrapped("%s", text.c_str());
    };
    for (const BlockingConstraint& b : r.blocking)
        bullet(b.constraint + (b.territory.empty() ? "" : " in " + b.territory) + (b.metric.empty() ? "" : " (" + b.metric + ")") +
               ": " + b.detail);
    for (const std::string& w : r.warnings) bullet("Note: " + w);
    if (r.askedContiguous && !r.contiguous) {
        // Say what makes contiguity impossible, and offer the two ways out.
        ImGui::PushStyleColor(ImGuiCol_Text, badColor(th));
        if (!r.lockedInEnclaves.empty())
            ImGui::TextWrapped("Contiguous territories are impossible while %s sit apart from the rest of their territory "
                               "(locked accounts never move).",
                               fmt::countOf(r.lockedInEnclaves.size(), "locked account", "locked accounts").c_str());
        else
            ImGui::TextWrapped("Not every territory could be made one connected piece.");
        ImGui::PopStyleColor();
        if (!r.lockedInEnclaves.empty()) {
            const std::string relax = "Unlock " + fmt::countOf(r.lockedInEnclaves.size(), "account", "accounts") + " and optimise again";
            if (ImGui::Button(relax.c_str())) {
                const std::vector<std::uint32_t> accounts = r.lockedInEnclaves;
                if (app.runCommand(SetLocked{accounts, false, {}}, "Unlocked so the territories can be contiguous")) startOptimise(app);
                return;
            }
            markTarget(app, "optimise.relaxLocks");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Unlocks them in %s (one undoable edit), then runs again from there",
                                                          app.workspace().active().name.c_str());
            ImGui::SameLine();
        }
        if (ImGui::Button("Optimise without contiguity")) {
            o.contiguous = false;
            startOptimise(app);
            return;
        }
        markTarget(app, "optimise.dropContiguity");
    }
}

// [SECTION] rebalance
void proposeFor(App& app) {
    OptimiseUi& o = app.ui().optimise;
    const BalanceOptions opt = optimiseOptions(app);
    auto problem = makeProblem(app, opt, o.error);
    o.proposal.reset();
    if (!problem) return;
    const SiteGraph g = contiguityGraph(*problem);
    o.rebalanceProblem = problem;
    o.proposal = std::make_shared<RebalanceProposal>(proposeRebalance(*problem, g, opt));
    o.rebalanceVersion = app.ui().dataVersion;
    o.rebalanceScenario = app.workspace().activeScenario;
    // Preview: the proposed plan's colours, the moved accounts ringed.
    app.map().setPreview(app, toScenarioRows(*problem, o.proposal->assignment));
    std::vector<std::uint32_t> moved;
    for (const RebalanceMove& m : o.proposal->moves) moved.push_back(m.account);
    app.highlightAccounts(std::move(moved), "proposed rebalance moves");
}

void clearProposal(App& app) {
    OptimiseUi& o = app.ui().optimise;
    if (!o.proposal) return;
    o.proposal.reset();
    app.map().setPreview(app, {});
    app.highlightAccounts({}, {});
}

void drawRebalanceTab(App& app) {
    OptimiseUi& o = app.ui().optimise;
    const Workspace& ws = app.workspace();
    if (o.proposal && (o.rebalanceVersion != app.ui().dataVersion || o.rebalanceScenario != ws.activeScenario)) clearProposal(app);
    ImGui::TextWrapped("After hand edits: the fewest moves (each to a neighbouring territory) that bring every territory back "
                       "inside tolerance, honouring locks, kept customers and contiguity. Nothing changes until you apply.");
    ImGui::BeginDisabled(o.job || o.sweepJob || o.sizingRunning);
    if (ImGui::Button("Propose moves")) proposeFor(app);
    markTarget(app, "optimise.propose");
    ImGui::EndDisabled();
    if (!o.error.empty() && !o.proposal) {
        ImGui::PushStyleColor(ImGuiCol_Text, badColor(app.ui().theme));
        ImGui::TextWrapped("Cannot rebalance: %s", o.error.c_str());
        ImGui::PopStyleColor();
    }
    if (!o.proposal) return;
    const RebalanceProposal& p = *o.proposal;
    const BalanceProblem& prob = *o.rebalanceProblem;
    ImGui::SameLine();
    ImGui::BeginDisabled(p.moves.empty());
    const std::string apply = "Apply " + fmt::count(p.moves.size()) + " moves";
    if (ImGui::Button(apply.c_str())) {
        const ApplyAssignment cmd = planCommand(prob, p.assignment, "rebalance");
        clearProposal(app);
        if (app.runCommand(cmd, "Rebalance back inside tolerance"))
            app.notify("Applied " + fmt::count(cmd.accounts.size()) + " rebalance moves to " + app.workspace().active().name);
        return;
    }
    markTarget(app, "optimise.apply");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Discard")) {
        clearProposal(app);
        return;
    }
    const Theme th = app.ui().theme;
    ImGui::PushStyleColor(ImGuiCol_Text, p.feasible ? goodColor(th) : badColor(th));
    if (p.moves.empty() && p.feasible) ImGui::TextUnformatted("Every territory is already inside tolerance: no move needed.");
    else if (p.feasible) ImGui::Text("%s moves bring every territory inside tolerance (ringed on the map).", fmt::count(p.moves.size()).c_str());
    else ImGui::TextWrapped("%s moves; not every territory can get back inside: %s", fmt::count(p.moves.size()).c_str(), p.reason.c_str());
    ImGui::PopStyleColor();
    std::size_t oversize = 0;
    for (std::size_t i = 0; i < prob.accounts; ++i) oversize += prob.inPlan(i) && prob.oversize[i] ? 1 : 0;
    drawDeviationTable(app, prob.metricName, p.before.maxDeviationBalanceable, p.after.maxDeviationBalanceable, prob.tolerance,
                       p.after.maxDeviation, oversize);
    ImGui::Text("Accounts moved: %s (%s of ARR)", fmt::percent(p.after.movedAccountsShare, 2).c_str(), fmt::percent(p.after.movedValueShare, 2).c_str());
    if (ImGui::BeginTable("moves", 3 + static_cast<int>(prob.M()),
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit,
                          ImVec2(0, std::max(px(app, 120), ImGui::GetContentRegionAvail().y)))) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Account");
        ImGui::TableSetupColumn("From");
        ImGui::TableSetupColumn("To");
        for (const std::string& m : prob.metricName) ImGui::TableSetupColumn(m.c_str());
        tableHeaders();
        const Table& acc = ws.accounts();
        const std::size_t nameCol = acc.indexOf("name");
        ImGuiListClipper clip;
        clip.Begin(static_cast<int>(p.moves.size()));
        while (clip.Step())
            for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
                const RebalanceMove& m = p.moves[static_cast<std::size_t>(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(i);
                if (ImGui::Selectable(std::string(acc.str(nameCol, m.account)).c_str(), false, ImGuiSelectableFlags_SpanAllColumns))
                    app.focusAccount(m.account);
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(m.from >= 0 ? prob.territoryName[static_cast<std::size_t>(m.from)].c_str() : "-");
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(m.to >= 0 ? prob.territoryName[static_cast<std::size_t>(m.to)].c_str() : "-");
                for (std::size_t k = 0; k < prob.M(); ++k) {
                    ImGui::TableNextColumn();
                    PlanMetric pm;
                    const double v = prob.value(m.account, k);
                    const bool money = parsePlanMetric(prob.metricName[k], pm) && isMoneyMetric(pm);
                    ImGui::TextUnformatted(money ? fmt::moneyCompact(static_cast<Money>(std::llround(v * 100.0))).c_str()
                                                 : fmt::fixed(v, 0).c_str());
                }
            }
        ImGui::EndTable();
    }
}

// [SECTION] trade-off
void startSweep(App& app) {
    OptimiseUi& o = app.ui().optimise;
    const BalanceOptions opt = optimiseOptions(app);
    auto problem = makeProblem(app, opt, o.error);
    if (!problem) return;
    o.points.clear();
    o.hoveredPoint = -1;
    TradeoffOptions sweep;
    // Budgets up to the window's budget (the sweep explores under it), plus tighter tolerances.
    const double cap = std::min(opt.maxMovedAccounts, opt.maxMovedValue);
    std::erase_if(sweep.budgets, [&](double b) { return b > cap + 1e-9; });
    if (sweep.budgets.empty() || sweep.budgets.back() < cap - 1e-9) sweep.budgets.push_back(cap);
    sweep.toleranceScales = {1.0, 0.5};
    auto job = std::make_shared<TradeoffJob>(problem, opt, sweep);
    o.sweepJob = job;
    o.sweepScenario = app.workspace().activeScenario;
    o.sweepBase = app.workspace().active().name;
    app.startJob(std::move(job), [&app](Job& j) {
        OptimiseUi& oo = app.ui().optimise;
        oo.sweepJob.reset();
        oo.points = static_cast<TradeoffJob&>(j).points();
        app.notify(j.cancelled() ? "Trade-off sweep cancelled: " + std::to_string(oo.points.size()) + " plans kept"
                                 : "Trade-off sweep: " + std::to_string(oo.points.size()) + " plans");
    });
}

void openPoint(App& app, std::size_t i) {
    OptimiseUi& o = app.ui().optimise;
    if (i >= o.points.size()) return;
    const TradeoffPoint& pt = o.points[i];
    Workspace& ws = app.workspace();
    if (o.sweepScenario >= ws.scenarios.size() || ws.scenarios[o.sweepScenario].name != o.sweepBase) {
        app.notify("The scenario the sweep started from has changed; run the sweep again");
        return;
    }
    char name[96];
    std::snprintf(name, sizeof name, "Trade-off: budget %.0f%%, tolerances x%.2g", pt.budget * 100.0, pt.toleranceScale);
    try {
        const std::size_t idx = addPlanScenario(ws, o.sweepScenario, *pt.problem, pt.result, ws.freshScenarioName(name));
        app.setActiveScenario(idx);
        app.notify("Opened the trade-off plan as " + ws.scenarios[idx].name);
    } catch (const std::exception& e) {
        app.notify(std::string("Not opened: ") + e.what());
    }
}

// The chart's balance figure: the worst max deviation over the metrics, of the accounts the
// optimiser can balance (accounts larger than any band keep their territory and are left out).
double balanceOf(const TradeoffPoint& p) {
    double worst = 0;
    for (double d : p.result.figures.maxDeviationBalanceable) worst = std::max(worst, d);
    return worst;
}

void drawTradeoffTab(App& app) {
    OptimiseUi& o = app.ui().optimise;
    ImGui::TextWrapped("Optimises under a range of disruption budgets (up to the budget above), at the chosen tolerances and at "
                       "half of them. Each dot is a plan: further right moves more accounts, lower is better balanced, the "
                       "colour is compactness. Click a dot to open that plan as a scenario.");
    if (o.sweepJob) {
        ImGui::ProgressBar(static_cast<float>(o.sweepJob->progress()), ImVec2(px(app, 320), 0));
        ImGui::SameLine();
        if (ImGui::Button("Cancel##sweep")) o.sweepJob->cancel();
        ImGui::TextDisabled("%s", o.sweepJob->detail().c_str());
    } else {
        ImGui::BeginDisabled(o.job || o.sizingRunning);
        if (ImGui::Button("Run the sweep")) startSweep(app);
        markTarget(app, "optimise.sweep");
        ImGui::EndDisabled();
    }
    const auto& pts = o.sweepJob ? o.sweepJob->points() : o.points;
    if (pts.empty()) return;
    double xMax = 0.05, yMax = 0.02, dMin = 1e300, dMax = 0;
    for (const TradeoffPoint& p : pts) {
        xMax = std::max(xMax, p.result.figures.movedAccountsShare);
        yMax = std::max(yMax, balanceOf(p));
        dMin = std::min(dMin, p.result.figures.weightedMeanDistance);
        dMax = std::max(dMax, p.result.figures.weightedMeanDistance);
    }
    xMax = charts::niceCeil(xMax * 100.0) / 100.0;
    yMax = charts::niceCeil(yMax * 100.0) / 100.0;
    const float h = std::max(px(app, 220), ImGui::GetContentRegionAvail().y - px(app, 150));
    charts::Plot pl = charts::beginPlot("##tradeoff", ImVec2(0, h), 0, xMax, 0, yMax, [](double v) { return fmt::percent(v, 1); },
                                       app.ui().pixelRatio, 64.0f, 40.0f);
    markTarget(app, "optimise.chart");
    for (double t : charts::niceTicks(0, xMax, 6)) charts::xLabel(pl, t, fmt::percent(t, 0), charts::textColor());
    pl.dl->AddText(ImVec2(pl.min.x, pl.max.y + 20 * pl.pr), charts::textColor(), "accounts moved (disruption)");
    const char* yTitle = "worst max deviation (balance)";
    pl.dl->AddText(ImVec2(pl.max.x - ImGui::CalcTextSize(yTitle).x - 4 * pl.pr, pl.min.y), charts::textColor(), yTitle);
    int hover = -1;
    float best = 14 * pl.pr;
    std::vector<ImVec2> at(pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i) {
        at[i] = ImVec2(pl.x(pts[i].result.figures.movedAccountsShare), pl.y(balanceOf(pts[i])));
        const float d = std::hypot(at[i].x - pl.mouse.x, at[i].y - pl.mouse.y);
        if (pl.hovered && d < best) best = d, hover = static_cast<int>(i);
    }
    // Lines join the points of one tolerance scale in budget order.
    const Theme th = app.ui().theme;
    for (std::size_t i = 1; i < pts.size(); ++i)
        if (pts[i].toleranceScale == pts[i - 1].toleranceScale)
            pl.dl->AddLine(at[i - 1], at[i], charts::withAlpha(ImGui::GetColorU32(ImGuiCol_Text), 0.25f), 1.5f * pl.pr);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        const double c = dMax > dMin ? (pts[i].result.figures.weightedMeanDistance - dMin) / (dMax - dMin) : 0.0;
        // Compact (green) to spread out (red).
        const ImU32 col = IM_COL32(static_cast<int>(40 + 200 * c), static_cast<int>(170 - 110 * c), 80, 255);
        const float r = (static_cast<int>(i) == hover ? 8.0f : 6.0f) * pl.pr;
        pl.dl->AddCircleFilled(at[i], r, col);
        if (pts[i].toleranceScale != 1.0) pl.dl->AddCircle(at[i], r + 2 * pl.pr, ImGui::GetColorU32(ImGuiCol_Text), 0, 1.2f * pl.pr);
        if (!pts[i].result.feasible) pl.dl->AddCircle(at[i], r + 1 * pl.pr, badColor(th), 0, 2.0f * pl.pr);
    }
    o.hoveredPoint = hover;
    o.pointScreen.clear();
    for (const ImVec2& a : at) o.pointScreen.push_back({a.x / pl.pr, a.y / pl.pr});
    if (hover >= 0) {
        const TradeoffPoint& p = pts[static_cast<std::size_t>(hover)];
        ImGui::BeginTooltip();
        ImGui::Text("Budget %s of accounts, tolerances x%.2g", fmt::percent(p.budget, 0).c_str(), p.toleranceScale);
        ImGui::Text("Moved: %s of accounts, %s of ARR", fmt::percent(p.result.figures.movedAccountsShare).c_str(),
                    fmt::percent(p.result.figures.movedValueShare).c_str());
        ImGui::Text("Worst max deviation: %s", fmt::percent(balanceOf(p), 2).c_str());
        if (p.balance > balanceOf(p) + 1e-12) ImGui::TextDisabled("(%s with the oversize accounts)", fmt::percent(p.balance, 2).c_str());
        ImGui::Text("Mean distance to centre: %s", fmt::fixed(p.result.figures.weightedMeanDistance, 1).c_str());
        ImGui::Text("%s", p.result.feasible ? "Inside every tolerance" : p.result.reason.c_str());
        if (!o.sweepJob) ImGui::TextDisabled("Click to open as a scenario");
        ImGui::EndTooltip();
        if (!o.sweepJob && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) openPoint(app, static_cast<std::size_t>(hover));
    }
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("Plain dot: chosen tolerances; ringed: half the tolerances; red ring: a tolerance not met. Green = compact, "
                       "red = spread out (mean distance %s to %s).",
                       fmt::fixed(dMin, 1).c_str(), fmt::fixed(dMax, 1).c_str());
    ImGui::PopStyleColor();
    if (!o.sweepJob && ImGui::BeginTable("points", 6, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingFixedFit)) {
        ImGui::TableSetupColumn("Budget");
        ImGui::TableSetupColumn("Tolerances");
        ImGui::TableSetupColumn("Moved accounts");
        ImGui::TableSetupColumn("Moved ARR");
        ImGui::TableSetupColumn("Worst deviation");
        ImGui::TableSetupColumn("Mean distance");
        tableHeaders();
        for (std::size_t i = 0; i < pts.size(); ++i) {
            const TradeoffPoint& p = pts[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(static_cast<int>(i));
            if (ImGui::Selectable(fmt::percent(p.budget, 0).c_str(), static_cast<int>(i) == hover, ImGuiSelectableFlags_SpanAllColumns))
                openPoint(app, i);
            ImGui::PopID();
            ImGui::TableNextColumn();
            ImGui::Text("x%.2g", p.toleranceScale);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::percent(p.result.figures.movedAccountsShare).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::percent(p.result.figures.movedValueShare).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::percent(balanceOf(p), 2).c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(fmt::fixed(p.result.figures.weightedMeanDistance, 1).c_str());
        }
        ImGui::EndTable();
    }
}

// [SECTION] sizing
// Runs sizeTerritories in one slice (it is a search over whole optimiser runs).
struct SizingJob : Job {
    double sliceMs() const override { return 40.0; }
    const Workspace& ws;
    std::vector<std::uint8_t> locked;
    std::vector<SizingLimit> limits;
    BalanceOptions options;
    std::size_t maxTerritories;
    std::shared_ptr<SizingResult> result;
    std::string error;
    bool started = false, finishedRun = false;
    SizingJob(const Workspace& w, std::vector<std::uint8_t> l, std::vector<SizingLimit> lim, BalanceOptions o, std::size_t maxT)
        : ws(w), locked(std::move(l)), limits(std::move(lim)), options(std::move(o)), maxTerritories(maxT) {}
    std::string title() const override { return "Sizing territories"; }
    double progress() const override { return finishedRun ? 1.0 : started ? 0.5 : 0.0; }
    bool step(double) override {
        // The first frame shows the progress bar; the second does the work.
        if (!started) {
            started = true;
            return false;
        }
        try {
            result = std::make_shared<SizingResult>(sizeTerritories(ws, locked, limits, options, maxTerritories));
        } catch (const std::exception& e) {
            error = e.what();
        }
        finishedRun = true;
        return true;
    }
};

void startSizing(App& app) {
    OptimiseUi& o = app.ui().optimise;
    const auto choices = optimiseMetricChoices(app);
    std::vector<SizingLimit> limits;
    for (const auto& l : o.limits)
        if (l.on && l.metric >= 0 && static_cast<std::size_t>(l.metric) < choices.size())
            limits.push_back({choices[static_cast<std::size_t>(l.metric)].name, l.limit});
    o.sizing.reset();
    o.sizingError.clear();
    if (limits.empty()) {
        o.sizingError = "Turn on at least one limit.";
        return;
    }
    BalanceOptions opt = optimiseOptions(app);
    opt.fixedCentres = false;                      // fresh territories have no home bases
    opt.maxMovedAccounts = opt.maxMovedValue = 1.0; // a new map: no budget
    o.sizingRunning = true;
    app.startJob(std::make_unique<SizingJob>(app.workspace(), app.workspace().active().locked, limits, opt,
                                             static_cast<std::size_t>(std::max(1, o.maxTerritories))),
                 [&app](Job& j) {
                     OptimiseUi& oo = app.ui().optimise;
                     auto& sj = static_cast<SizingJob&>(j);
                     oo.sizingRunning = false;
                     oo.sizing = sj.result;
                     oo.sizingError = sj.error;
                 });
}

void openSizingPlan(App& app) {
    OptimiseUi& o = app.ui().optimise;
    if (!o.sizing || !o.sizing->feasible || !o.sizing->problem) return;
    Workspace& ws = app.workspace();
    const SizingResult& s = *o.sizing;
    // The plan's territories are fresh (T01..TK): a new scenario made of them.
    // Locks are set after the plan is applied (a locked account has no territory before it), as
    // commands, so the scenario replays from its log.
    const std::vector<std::uint8_t> locks = ws.active().locked;
    Scenario sc = freshScenario(ws, s.territories, std::vector<std::uint8_t>(locks.size(), 0));
    sc.name = ws.freshScenarioName(std::to_string(s.territories) + " territories");
    sc.origin = "optimiser";
    sc.seed = s.plan.seed;
    CommandResult r = execute(ws, sc, planCommand(*s.problem, s.plan.assignment, "sizing (seed " + std::to_string(s.plan.seed) + ")"));
    std::vector<std::uint32_t> locked;
    for (std::size_t i = 0; i < locks.size(); ++i)
        if (locks[i]) locked.push_back(static_cast<std::uint32_t>(i));
    if (r.ok && !locked.empty()) r = execute(ws, sc, SetLocked{locked, true, {}});
    if (!r.ok) {
        app.notify("Not opened: " + r.error);
        return;
    }
    ws.scenarios.push_back(std::move(sc));
    app.setActiveScenario(ws.scenarios.size() - 1);
    app.notify("Opened the sized plan as " + ws.active().name + "; give its territories owners in the territory list");
}

void drawSizingTab(App& app) {
    OptimiseUi& o = app.ui().optimise;
    const auto choices = optimiseMetricChoices(app);
    ImGui::TextWrapped("How many territories? The smallest number of territories, optimised with the settings above, that keeps "
                       "every territory at or under each limit.");
    for (int i = 0; i < 2; ++i) {
        OptimiseUi::LimitRow& l = o.limits[i];
        ImGui::PushID(i);
        ImGui::Checkbox("##on", &l.on);
        ImGui::SameLine();
        ImGui::BeginDisabled(!l.on);
        ImGui::SetNextItemWidth(px(app, 190));
        l.metric = std::clamp(l.metric, 0, static_cast<int>(choices.size()) - 1);
        if (ImGui::BeginCombo("##metric", choices[static_cast<std::size_t>(l.metric)].label.c_str())) {
            for (std::size_t c = 0; c < choices.size(); ++c)
                if (ImGui::Selectable(choices[c].label.c_str(), static_cast<int>(c) == l.metric)) l.metric = static_cast<int>(c);
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        ImGui::SetNextItemWidth(px(app, 140));
        ImGui::InputFloat("at most per territory", &l.limit, 0, 0, "%.0f");
        l.limit = std::max(0.0f, l.limit);
        ImGui::EndDisabled();
        ImGui::PopID();
    }
    ImGui::SetNextItemWidth(px(app, 120));
    ImGui::InputInt("largest count to try", &o.maxTerritories);
    o.maxTerritories = std::clamp(o.maxTerritories, 1, 100000);
    ImGui::BeginDisabled(o.job || o.sweepJob || o.sizingRunning);
    if (ImGui::Button("Find the count")) startSizing(app);
    markTarget(app, "optimise.size");
    ImGui::EndDisabled();
    if (o.sizingRunning) ImGui::TextDisabled("Searching (optimising at each candidate count)...");
    if (!o.sizingError.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, badColor(app.ui().theme));
        ImGui::TextWrapped("%s", o.sizingError.c_str());
        ImGui::PopStyleColor();
    }
    if (!o.sizing) return;
    const SizingResult& s = *o.sizing;
    if (!s.feasible) {
        ImGui::PushStyleColor(ImGuiCol_Text, badColor(app.ui().theme));
        ImGui::TextWrapped("No count up to the largest tried meets every limit: %s", s.reason.c_str());
        ImGui::PopStyleColor();
        return;
    }
    ImGui::Text("%s territories (at least %s by the totals; tried:", fmt::count(s.territories).c_str(), fmt::count(s.lowerBound).c_str());
    for (std::size_t t : s.tried) {
        ImGui::SameLine(0, px(app, 4));
        ImGui::Text("%zu", t);
    }
    ImGui::SameLine(0, 0);
    ImGui::TextUnformatted(")");
    std::size_t li = 0;
    for (const auto& l : o.limits) {
        if (!l.on) continue;
        if (li < s.maxLoad.size())
            ImGui::BulletText("%s: the largest territory has %s (limit %s)", choices[static_cast<std::size_t>(l.metric)].label.c_str(),
                              fmt::fixed(s.maxLoad[li], 0).c_str(), fmt::fixed(l.limit, 0).c_str());
        ++li;
    }
    if (ImGui::Button("Open this plan as a scenario")) openSizingPlan(app);
    markTarget(app, "optimise.openSizing");
}
} // namespace

// [SECTION] window
void drawOptimisePanel(App& app) {
    OptimiseUi& o = app.ui().optimise;
    updatePreview(app);
    if (!o.show) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x - px(app, 20), vp->Pos.y + px(app, 60)), ImGuiCond_FirstUseEver,
                            ImVec2(1.0f, 0.0f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->Size.x * 0.6f, px(app, 700)), std::min(vp->Size.y * 0.85f, px(app, 760))),
                             ImGuiCond_FirstUseEver);
    if (!ImGui::Begin("Optimise territories###optimise", &o.show, ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    drawSettings(app);
    ImGui::Separator();
    if (ImGui::BeginTabBar("optimiseTabs")) {
        static const char* kTabs[] = {"Optimise", "Rebalance", "Trade-off", "How many territories?"};
        for (int t = 0; t < 4; ++t) {
            const ImGuiTabItemFlags f = o.tabRequest == t ? ImGuiTabItemFlags_SetSelected : 0;
            const bool open = ImGui::BeginTabItem(kTabs[t], nullptr, f);
            markTarget(app, "optimise.tab" + std::to_string(t));
            if (!open) continue;
            o.tab = t;
            if (t == 0) drawOptimiseTab(app);
            if (t == 1) drawRebalanceTab(app);
            if (t == 2) drawTradeoffTab(app);
            if (t == 3) drawSizingTab(app);
            ImGui::EndTabItem();
        }
        o.tabRequest = -1;
        ImGui::EndTabBar();
    }
    if (o.tab != 1) clearProposal(app); // the proposal's preview belongs to the Rebalance tab
    ImGui::End();
    if (!o.show) clearProposal(app);
}

std::string optimiseStateJson(const App& app) {
    const OptimiseUi& o = app.ui().optimise;
    nlohmann::ordered_json j;
    j["show"] = o.show;
    j["tab"] = o.tab;
    j["running"] = static_cast<bool>(o.job);
    j["progress"] = o.job ? o.job->progress() : 0.0;
    j["progress_frames"] = o.progressFrames;
    j["preview_updates"] = o.previewUpdates;
    j["error"] = o.error;
    j["start"] = {{"needed", needsTerritories(app)}, {"from", startChoice(app) == 0 ? "reps" : "numbered"},
                  {"territories", o.startTerritories}};
    const BalanceOptions b = optimiseOptions(app);
    nlohmann::ordered_json ms = nlohmann::ordered_json::array();
    for (const BalanceMetric& m : b.metrics) ms.push_back({{"metric", m.name}, {"tolerance", m.tolerance}});
    j["options"] = {{"metrics", ms},
                    {"contiguous", b.contiguous},
                    {"fixed_centres", b.fixedCentres},
                    {"compactness", compactnessName(b.compactness)},
                    {"time_limit_ms", b.timeLimitMs},
                    {"move_customers", b.moveCustomers},
                    {"max_moved_accounts", b.maxMovedAccounts},
                    {"max_moved_value", b.maxMovedValue},
                    {"seed", b.seed}};
    const auto& r = o.outcome;
    nlohmann::ordered_json out = {{"valid", r.valid},       {"feasible", r.feasible},
                                  {"cancelled", r.cancelled}, {"scenario", r.scenario},
                                  {"reason", r.reason},     {"runtime_ms", r.runtimeMs},
                                  {"wall_ms", r.wallMs},    {"weighted_mean_distance", r.weightedMeanDistance},
                                  {"moved_accounts_share", r.movedAccountsShare}, {"moved_value_share", r.movedValueShare},
                                  {"contiguous", r.contiguous}};
    nlohmann::ordered_json md = nlohmann::ordered_json::object();
    for (std::size_t m = 0; m < r.metricNames.size() && m < r.maxDeviation.size(); ++m) md[r.metricNames[m]] = r.maxDeviation[m];
    out["max_deviation"] = md;
    nlohmann::ordered_json mb = nlohmann::ordered_json::object();
    for (std::size_t m = 0; m < r.metricNames.size() && m < r.maxDeviationBalanceable.size(); ++m) mb[r.metricNames[m]] = r.maxDeviationBalanceable[m];
    out["max_deviation_balanceable"] = mb;
    out["oversize_accounts"] = r.oversize;
    out["inside_tolerance"] = r.inside;
    out["created"] = r.created;
    out["locked_in_enclaves"] = r.lockedInEnclaves.size();
    out["compactness"] = r.compactness;
    out["objective"] = r.objective;
    out["first_objective"] = r.firstObjective;
    out["max_diameter"] = r.maxDiameter;
    out["lower_bound"] = r.boundKnown ? nlohmann::ordered_json(r.lowerBound) : nlohmann::ordered_json(nullptr);
    out["lower_bound_basis"] = r.boundBasis;
    out["improve_iterations"] = r.improveIterations;
    nlohmann::ordered_json hist = nlohmann::ordered_json::array();
    for (const ObjectivePoint& h : r.history) hist.push_back({h.ms, h.objective});
    out["history"] = hist;
    j["improving"] = static_cast<bool>(o.improveJob);
    j["outcome"] = out;
    if (o.proposal) {
        const RebalanceProposal& p = *o.proposal;
        nlohmann::ordered_json before = nlohmann::ordered_json::object(), after = nlohmann::ordered_json::object();
        for (std::size_t m = 0; m < o.rebalanceProblem->M(); ++m) {
            before[o.rebalanceProblem->metricName[m]] = p.before.maxDeviation[m];
            after[o.rebalanceProblem->metricName[m]] = p.after.maxDeviation[m];
        }
        j["proposal"] = {{"moves", p.moves.size()}, {"feasible", p.feasible}, {"before", before}, {"after", after}};
    } else {
        j["proposal"] = nullptr;
    }
    nlohmann::ordered_json pts = nlohmann::ordered_json::array();
    for (const TradeoffPoint& p : o.points)
        pts.push_back({{"budget", p.budget},
                       {"tolerance_scale", p.toleranceScale},
                       {"balance", balanceOf(p)},
                       {"moved_accounts_share", p.result.figures.movedAccountsShare},
                       {"weighted_mean_distance", p.result.figures.weightedMeanDistance},
                       {"feasible", p.result.feasible}});
    j["sweep"] = {{"running", static_cast<bool>(o.sweepJob)}, {"points", pts}, {"screen", o.pointScreen}};
    if (o.sizing)
        j["sizing"] = {{"feasible", o.sizing->feasible}, {"territories", o.sizing->territories}, {"lower_bound", o.sizing->lowerBound}, {"reason", o.sizing->reason}};
    else
        j["sizing"] = {{"running", o.sizingRunning}, {"error", o.sizingError}};
    return j.dump();
}

} // namespace terrane
