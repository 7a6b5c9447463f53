// terrane summary: counts and totals of a set of CSV files.
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
    Workspace ws;
    loadDatasets(a, ws, {DatasetKind::Accounts});
    const WorkspaceSummary s = summarize(ws);
    if (a.has("json")) {
        std::printf("%s\n", summaryToJson(s).c_str());
    } else {
        std::printf("accounts       %llu (%llu customers)\npotential      %s\nARR            %s\nreps           %llu (%llu vacant)\n"
                    "territories    %llu\nopportunities  %llu (%llu open)\nopen pipeline  %s\n",
                    (unsigned long long)s.accounts, (unsigned long long)s.customers, formatMoney(s.potential).c_str(),
                    formatMoney(s.arr).c_str(), (unsigned long long)s.reps, (unsigned long long)s.vacantSeats,
                    (unsigned long long)s.territories, (unsigned long long)s.opportunities,
                    (unsigned long long)s.openOpportunities, formatMoney(s.openPipeline).c_str());
    }
    return 0;
}

const Command kCmd("summary", "--accounts A.csv [--reps R.csv] [--territories T.csv] [--opportunities O.csv] [--json]",
                   "Counts and totals: accounts, customers, potential, ARR, reps, open pipeline", &run);

} // namespace
} // namespace terrane::cli
