// App: preparing a workspace beside the open one (PrepareJob) and adopting it. A million accounts
// take seconds to summarise, value, measure and put on the map; done in one frame that froze the
// page, so each part runs in its own slice and the open workspace stays on screen until the new
// one is complete.
//
// Index
//  [SECTION] job         the parts: source, summary, values, metrics, map
//  [SECTION] app         starting, adopting
#include "app/app.hpp"
#include "platform/platform.hpp"

#include <algorithm>

namespace terrane {

namespace {
// Parts of the job after the source, for progress and detail.
enum Stage { kSource, kSummary, kValues, kPipeline, kMetrics, kMap, kDone };
constexpr std::size_t kChunkRows = 250000; // rows per slice for the account values
constexpr int kMapParts = 8;               // MapView::buildStep parts
} // namespace

// [SECTION] job
PrepareJob::PrepareJob(App& app, std::string title, Source source)
    : m_app(app), m_title(std::move(title)), m_source(std::move(source)) {}

bool PrepareJob::step(double budgetMs) {
    const Stopwatch sw;
    try {
        while (advance(budgetMs - sw.ms()))
            if (sw.ms() >= budgetMs || m_cancelled) return m_cancelled;
    } catch (const std::exception& e) {
        m_error = e.what();
        m_stage = kDone;
    }
    return true;
}

bool PrepareJob::advance(double budgetMs) {
    switch (m_stage) {
    case kSource:
        if (m_next == 0) {
            dataVersion = m_app.ui().dataVersion;
            datasetsVersion = m_app.datasetsVersion();
            m_next = 1;
        }
        if (!m_source(ws, budgetMs)) return true;
        reference = !newWorkspace && m_app.ui().referenceScenario < ws.scenarios.size() ? m_app.ui().referenceScenario : 0;
        m_next = 0;
        ++m_stage;
        return true;
    case kSummary:
        summary = summarize(ws);
        values.start(ws);
        ++m_stage;
        return true;
    case kValues:
    case kPipeline: {
        const std::size_t rows = m_stage == kValues ? ws.accounts().rows() : ws.opportunities().rows();
        const std::size_t to = std::min(rows, m_next + kChunkRows);
        if (m_stage == kValues)
            values.addAccounts(ws, m_next, to);
        else
            values.addPipeline(ws, m_next, to);
        m_next = to;
        if (m_next >= rows) m_next = 0, ++m_stage;
        return true;
    }
    case kMetrics:
        tracker.reset(ws, values, ws.active(), &ws.scenarios[reference], ws.settings.metrics);
        tracker.finalize();
        ++m_stage;
        return true;
    case kMap:
        if (MapView::buildStep(map, ws, values, m_app.ui(), reference)) ++m_stage;
        return m_stage != kDone;
    default:
        return false;
    }
}

double PrepareJob::progress() const {
    const double parts = kMap + kMapParts;
    const double at = m_stage < kMap ? m_stage : kMap + map.stage;
    return std::min(1.0, at / parts);
}

std::string PrepareJob::detail() const {
    static const char* kNames[] = {
        "Reading the data", "Summary", "Account values", "Open pipeline", "Plan metrics", "Map", "Done"};
    return kNames[std::min(m_stage, static_cast<int>(kDone))];
}

// [SECTION] app
void App::startPrepare(std::unique_ptr<PrepareJob> job, bool big, std::function<void(PrepareJob&)> done) {
    if (!big) {
        runToCompletion(*job);
        done(*job);
        return;
    }
    startJob(
        std::move(job), [done = std::move(done)](Job& j) { done(static_cast<PrepareJob&>(j)); }, true);
}

bool App::preparing() const {
    return std::any_of(m_jobs.begin(), m_jobs.end(), [](const PendingJob& p) {
        return dynamic_cast<const PrepareJob*>(p.job.get()) != nullptr;
    });
}

void App::adoptPrepared(PrepareJob& job) {
    PartTimer t(m_ui, "prepare.adopt");
    m_ws = std::move(job.ws);
    m_summary = std::move(job.summary);
    m_values = std::move(job.values);
    m_ui.referenceScenario = job.reference;
    m_tracker = std::move(job.tracker);
    m_tracker.rebind(m_ws, m_values, m_ws.active(), &m_ws.scenarios[m_ui.referenceScenario]);
    m_map.forgetTerritoryColors();
    derivedChanged(&job.map);
}

} // namespace terrane
