// terrane summary: counts and totals of any set of dataset CSV files (accounts, reps,
// territories, opportunities, ... — one of them is enough).
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/scenario/summary.hpp"

#include <cstdio>

namespace terrane::cli {
namespace {

int run(int argc, char** argv) {
    Args a(argc, argv, 2, {"json"});
    a.allowOnly(datasetOptionNames({"json"}));
    bool any = false;
    for (int k = 0; k < kDatasetKindCount; ++k) {
        std::string opt = datasetKindName(static_cast<DatasetKind>(k));
        for (char& c : opt)
            if (c == '_') c = '-';
        any |= a.has(opt);
    }
    if (!any) throw UsageError("give at least one dataset: --accounts, --reps, --territories, --opportunities, ...");
    Workspace ws;
    loadDatasets(a, ws, {});
    const WorkspaceSummary s = summarize(ws);
    if (a.has("json")) {
        std::printf("%s\n", summaryToJson(s).c_str());
        return 0;
    }
    // Only the datasets given: a deals file alone reports deals, not "0 accounts".
    if (a.has("accounts"))
        std::printf("accounts       %llu (%llu customers)\npotential      %s\nARR            %s\n", (unsigned long long)s.accounts,
                    (unsigned long long)s.customers, formatMoney(s.potential).c_str(), formatMoney(s.arr).c_str());
    if (a.has("reps")) std::printf("reps           %llu (%llu vacant)\n", (unsigned long long)s.reps, (unsigned long long)s.vacantSeats);
    if (a.has("accounts") || a.has("territories")) std::printf("territories    %llu\n", (unsigned long long)s.territories);
    if (a.has("opportunities"))
        std::printf("opportunities  %llu (%llu open, %llu won, %llu lost)\nopen pipeline  %s\nwon            %s\n",
                    (unsigned long long)s.opportunities, (unsigned long long)s.openOpportunities, (unsigned long long)s.won,
                    (unsigned long long)s.lost, formatMoney(s.openPipeline).c_str(), formatMoney(s.wonAmount).c_str());
    return 0;
}

const Command kCmd("summary",
                   "[--accounts A.csv] [--reps R.csv] [--territories T.csv] [--opportunities O.csv] [...] [--json] "
                   "(at least one dataset)",
                   "Counts and totals of the datasets given: accounts, customers, potential, ARR, reps, pipeline", &run);

} // namespace
} // namespace terrane::cli
