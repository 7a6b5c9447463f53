// Running the Forecast workspace's figures: the settings' defaults, the run as a job in stages
// (snapshot and analytics, forecast, backtest; each stage sliced so the page never freezes), the
// save into the scenario, the map selection of deals' accounts, and the test hook's JSON.
//
// Index
//  [SECTION] job        the staged job
//  [SECTION] settings   defaults and the run
//  [SECTION] actions    save into the scenario, select on the map
//  [SECTION] test hook
#include "app/analyse/forecast_run.hpp"
#include "app/app.hpp"
#include "core/base/format.hpp"
#include "platform/platform.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace terrane {

// [SECTION] job
namespace {
class ForecastRunJob : public Job {
  public:
    ForecastRunJob(App& app, std::vector<ForecastStage> stages) : m_app(app), m_stages(std::move(stages)), m_datasets(app.datasetsVersion()) {}
    std::string title() const override { return "Forecasting"; }
    bool step(double budgetMs) override {
        // The stages read the workspace: stop when it was replaced or re-imported meanwhile.
        if (m_app.datasetsVersion() != m_datasets) cancel();
        if (cancelled() || m_next >= m_stages.size()) return true;
        Stopwatch sw;
        const bool done = m_stages[m_next].run(budgetMs);
        m_ms += sw.ms();
        m_stageMs.resize(m_stages.size());
        m_stageMs[m_next] += sw.ms();
        if (done) ++m_next;
        return m_next >= m_stages.size();
    }
    double progress() const override {
        if (m_stages.empty()) return 1.0;
        const double part = m_next < m_stages.size() && m_stages[m_next].progress ? m_stages[m_next].progress() : 0.0;
        return (static_cast<double>(m_next) + part) / static_cast<double>(m_stages.size());
    }
    std::string detail() const override { return m_next < m_stages.size() ? m_stages[m_next].label : std::string("done"); }
    double sliceMs() const override { return 25.0; }
    double computeMs() const { return m_ms; }
    double stageMs(std::size_t i) const { return i < m_stageMs.size() ? m_stageMs[i] : 0.0; }

  private:
    App& m_app;
    std::vector<ForecastStage> m_stages;
    std::uint64_t m_datasets;
    std::size_t m_next = 0;
    double m_ms = 0;
    std::vector<double> m_stageMs;
};
} // namespace

std::uint64_t forecastInputsVersion(const App& app) {
    const Scenario& sc = app.workspace().active();
    return app.datasetsVersion() * 1000003ull + app.workspace().activeScenario * 7919ull + static_cast<std::uint64_t>(sc.quota.target) * 31ull +
           sc.quota.seasonality.size();
}

// [SECTION] settings
void initForecastSettings(App& app) {
    ForecastUi& f = app.ui().forecast;
    if (f.settingsFor == app.datasetsVersion()) return;
    f.settingsFor = app.datasetsVersion();
    const Scenario& sc = app.workspace().active();
    if (sc.forecast) {
        const forecast::SavedForecast& s = *sc.forecast;
        std::snprintf(f.asOf, sizeof f.asOf, "%s", formatDate(s.asOf).c_str());
        f.period = s.period == "month" ? 0 : s.period == "year" ? 2 : 1;
        f.periods = std::clamp(static_cast<int>(s.periods.size()), 1, 12);
        f.trials = static_cast<int>(s.trials);
        f.seed = static_cast<int>(s.seed);
        return;
    }
    std::snprintf(f.asOf, sizeof f.asOf, "%s", formatDate(defaultForecastAsOf(app)).c_str());
}

void runForecast(App& app) {
    ForecastUi& f = app.ui().forecast;
    if (f.job) f.job->cancel();
    f.job.reset();
    f.version = forecastInputsVersion(app);
    Date asOf = kDateNull;
    if (!parseIsoDate(f.asOf, asOf)) {
        auto v = std::make_shared<ForecastView>();
        v->error = std::string("The as-of date '") + f.asOf + "' is not a date: write it as YYYY-MM-DD, e.g. 2026-10-01.";
        f.view = v;
        return;
    }
    static const char* kPeriod[] = {"month", "quarter", "year"};
    ForecastRequest req{asOf, kPeriod[std::clamp(f.period, 0, 2)], f.periods, f.trials, static_cast<std::uint64_t>(f.seed), f.backtestPeriods};
    auto out = std::make_shared<ForecastView>();
    auto job = std::make_shared<ForecastRunJob>(app, forecastStages(app, req, out));
    f.job = JobHandle<Job>(std::static_pointer_cast<Job>(job));
    const std::uint64_t version = f.version;
    app.startJob(job, [&app, version, out](Job& j) {
        ForecastUi& ff = app.ui().forecast;
        if (j.cancelled() || version != ff.version) return;
        const auto& rj = static_cast<ForecastRunJob&>(j);
        out->computeMs = rj.computeMs();
        out->forecastMs = rj.stageMs(0);
        out->backtestMs = rj.stageMs(1);
        ff.view = out;
        platform::requestFrame();
    });
}

void startForecastFromJson(App& app, std::string_view json) {
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (!j.is_object()) return;
    ForecastUi& f = app.ui().forecast;
    f.show = true;
    initForecastSettings(app);
    if (j.contains("as_of") && j["as_of"].is_string()) std::snprintf(f.asOf, sizeof f.asOf, "%s", j["as_of"].get<std::string>().c_str());
    const std::string period = j.value("period", std::string());
    if (!period.empty()) f.period = period == "month" ? 0 : period == "year" ? 2 : 1;
    f.periods = std::clamp(j.value("periods", f.periods), 1, 12);
    f.trials = std::clamp(j.value("trials", f.trials), 100, 100000);
    f.seed = std::max(0, j.value("seed", f.seed));
    f.backtestPeriods = std::clamp(j.value("backtest_periods", f.backtestPeriods), 0, 48);
    runForecast(app);
}

// [SECTION] actions
void saveForecastToScenario(App& app) {
    const ForecastUi& f = app.ui().forecast;
    if (!f.view || !f.view->valid) return;
    const ForecastView& v = *f.view;
    forecast::SavedForecast s;
    s.settings = Json::parse(v.settingsJson.empty() ? "{}" : v.settingsJson);
    s.asOf = v.asOf;
    s.period = v.period;
    s.seed = v.seed;
    s.trials = v.trials;
    s.method = v.headlineMethod;
    s.savedAtMs = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    for (const auto& p : v.periods)
        s.periods.push_back(forecast::SavedPeriod{p.start, p.end, p.closedWon, p.p10, p.p50, p.p90, p.quota, p.coverage});
    if (app.runCommand(forecast::SaveForecast{s, {}})) app.notify(app.workspace().active().log.back().audit.description);
}

void selectDealAccounts(App& app, const std::vector<std::uint32_t>& deals, const std::string& label) {
    const ForecastUi& f = app.ui().forecast;
    if (!f.view) return;
    std::vector<std::uint32_t> rows;
    for (std::uint32_t d : deals)
        if (d < f.view->deals.size() && f.view->deals[d].accountRow >= 0) rows.push_back(static_cast<std::uint32_t>(f.view->deals[d].accountRow));
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows.empty()) {
        app.notify(label + ": no account on the map (the deals' accounts are not in the accounts dataset)");
        return;
    }
    if (rows.size() == 1) app.focusAccount(rows[0]);
    else app.select(rows, SelectMode::Replace);
    app.highlightAccounts(rows, label);
    app.notify(label + ": " + fmt::countOf(rows.size(), "account", "accounts") + " selected on the map");
}

// [SECTION] test hook
std::string forecastStateJson(const App& app) {
    const ForecastUi& f = app.ui().forecast;
    nlohmann::ordered_json j;
    j["open"] = f.show;
    j["tab"] = f.tab;
    j["as_of"] = f.asOf;
    j["running"] = static_cast<bool>(f.job);
    j["progress"] = f.job ? f.job->progress() : 1.0;
    j["fresh"] = f.view && !f.job && f.version == forecastInputsVersion(app);
    const Scenario& sc = app.workspace().active();
    j["saved"] = sc.forecast ? forecast::savedForecastToJson(*sc.forecast) : Json(nullptr);
    if (!f.view) return j.dump();
    const ForecastView& v = *f.view;
    j["valid"] = v.valid;
    j["error"] = v.error;
    j["period"] = v.period;
    j["seed"] = v.seed;
    j["trials"] = v.trials;
    j["method"] = v.headlineMethod;
    j["notes"] = v.notes;
    j["compute_ms"] = v.computeMs;
    j["forecast_ms"] = v.forecastMs;
    j["backtest_ms"] = v.backtestMs;
    char fp[20];
    std::snprintf(fp, sizeof fp, "%016llx", static_cast<unsigned long long>(v.fingerprint));
    j["fingerprint"] = fp;
    auto periods = nlohmann::ordered_json::array();
    for (const auto& p : v.periods) {
        auto methods = nlohmann::ordered_json::object();
        for (const auto& m : p.methods) methods[m.id] = {{"name", m.name}, {"value", moneyToMajor(m.value)}};
        periods.push_back({{"label", p.label}, {"start", formatDate(p.start)}, {"end", formatDate(p.end)}, {"closed_won", moneyToMajor(p.closedWon)},
                           {"p10", moneyToMajor(p.p10)}, {"p50", moneyToMajor(p.p50)}, {"p90", moneyToMajor(p.p90)},
                           {"quota", moneyToMajor(p.quota)}, {"coverage", p.coverage}, {"methods", methods}});
    }
    j["periods"] = periods;
    j["deals"] = v.deals.size();
    auto flags = nlohmann::ordered_json::array();
    for (const auto& fl : v.flags) {
        auto accounts = nlohmann::ordered_json::array();
        for (std::uint32_t d : fl.deals) accounts.push_back(v.deals[d].accountRow);
        flags.push_back({{"id", fl.id}, {"name", fl.name}, {"risk", fl.risk}, {"deals", fl.deals.size()}, {"unscored", fl.unscored},
                         {"account_rows", accounts}});
    }
    j["flags"] = flags;
    j["flag_filter"] = f.flagFilter;
    j["selected_deal"] = f.selectedDeal;
    if (f.selectedDeal >= 0 && static_cast<std::size_t>(f.selectedDeal) < v.deals.size())
        j["selected_deal_account_row"] = v.deals[static_cast<std::size_t>(f.selectedDeal)].accountRow;
    j["backtest"] = {{"periods", v.backtest.size()}, {"mdape", v.mdape}, {"bias", v.bias}, {"coverage", v.coverage}, {"brier", v.brier}};
    return j.dump();
}

} // namespace terrane
