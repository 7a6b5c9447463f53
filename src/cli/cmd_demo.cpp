// terrane demo: writes the sample workspace as CSV files.
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/scenario/sample.hpp"
#include "core/scenario/summary.hpp"

#include <cstdio>
#include <filesystem>

namespace terrane::cli {
namespace {

int run(int argc, char** argv) {
    Args a(argc, argv, 2, {"json"});
    a.allowOnly({"out", "accounts", "reps", "seed", "json"});
    SampleOptions opt;
    const std::string dir = a.required("out");
    const long long accounts = a.integer("accounts", static_cast<long long>(opt.accounts));
    const long long reps = a.integer("reps", static_cast<long long>(opt.reps));
    const long long seed = a.integer("seed", static_cast<long long>(opt.seed));
    if (accounts < 1 || accounts > 20000000) throw UsageError("--accounts must be between 1 and 20000000");
    if (reps < 4 || reps > 100000) throw UsageError("--reps must be between 4 and 100000");
    if (seed < 0) throw UsageError("--seed must be a non-negative whole number");
    opt.accounts = static_cast<std::size_t>(accounts);
    opt.reps = static_cast<std::size_t>(reps);
    opt.seed = static_cast<std::uint64_t>(seed);
    Workspace ws;
    generateSample(opt, ws);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw InputError(dir + ": cannot create directory (" + ec.message() + ")");
    const std::pair<const char*, DatasetKind> files[] = {{"accounts.csv", DatasetKind::Accounts},
                                                         {"reps.csv", DatasetKind::Reps},
                                                         {"territories.csv", DatasetKind::Territories},
                                                         {"opportunities.csv", DatasetKind::Opportunities},
                                                         {"stage_history.csv", DatasetKind::StageHistory}};
    for (const auto& [name, kind] : files) writeFile((std::filesystem::path(dir) / name).string(), tableToCsv(ws.table(kind), kind));
    if (a.has("json")) std::printf("%s\n", summaryToJson(summarize(ws)).c_str());
    else std::fprintf(stderr, "wrote %zu accounts, %zu reps, %zu territories, %zu opportunities to %s\n", ws.accounts().rows(),
                      ws.reps().rows(), ws.territories().rows(), ws.opportunities().rows(), dir.c_str());
    return 0;
}

const Command kCmd("demo", "--out DIR [--accounts N] [--reps K] [--seed S] [--json]",
                   "Write the sample workspace (accounts, reps, territories, opportunities CSVs)", &run);

} // namespace
} // namespace terrane::cli
