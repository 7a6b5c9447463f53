// terrane scenario: validate, summarise, diff and build .terrane scenario files.
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/scenario/assignment.hpp"
#include "core/scenario/scenario_diff.hpp"
#include "core/scenario/scenario_file.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>

namespace terrane::cli {
namespace {

ScenarioFileLoad open(const std::string& path) {
    ScenarioFileLoad f = loadScenarioFile(readFile(path));
    if (!f.ok) throw InputError(path + ": " + f.error);
    return f;
}

void printIntegrity(const std::string& path, const ScenarioFileLoad& f) {
    for (const std::string& w : f.warnings) std::fprintf(stderr, "%s: %s\n", path.c_str(), w.c_str());
    if (f.tampered) std::fprintf(stderr, "%s: the content does not match its recorded SHA-256: it was changed outside Terrane\n", path.c_str());
    if (f.changedAfterApproval) std::fprintf(stderr, "%s: the content changed after the last approval\n", path.c_str());
    if (!f.reviewProblem.empty()) std::fprintf(stderr, "%s: review trail: %s\n", path.c_str(), f.reviewProblem.c_str());
}

int validate(int argc, char** argv) {
    Args a(argc, argv, 3, {"json"});
    a.allowOnly({"json"});
    if (a.positional().size() != 1) throw UsageError("expected one FILE");
    const std::string path = a.positional()[0];
    const ScenarioFileLoad f = open(path);
    printIntegrity(path, f);
    // Saved results that the plan does not give were edited outside Terrane, like a changed hash.
    const bool intact = !f.tampered && !f.changedAfterApproval && f.reviewProblem.empty() && f.resultsDifferences.empty();
    if (a.has("json")) {
        nlohmann::ordered_json j;
        j["valid"] = intact;
        j["tampered"] = f.tampered;
        j["changed_after_approval"] = f.changedAfterApproval;
        j["review_chain_intact"] = f.reviewProblem.empty();
        j["results_match"] = f.resultsDifferences.empty();
        j["results_differences"] = f.resultsDifferences;
        j["scenarios"] = f.ws.scenarios.size();
        j["accounts"] = f.ws.accounts().rows();
        std::printf("%s\n", j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    } else {
        std::printf("%s: %s (schema %d, %zu scenarios, %zu accounts)\n", path.c_str(), intact ? "valid" : "opens, but its integrity checks fail",
                    f.meta.schemaVersion, f.ws.scenarios.size(), f.ws.accounts().rows());
    }
    return intact ? 0 : 1;
}

int summary(int argc, char** argv) {
    Args a(argc, argv, 3, {"json"});
    a.allowOnly({"json"});
    if (a.positional().size() != 1) throw UsageError("expected one FILE");
    const ScenarioFileLoad f = open(a.positional()[0]);
    printIntegrity(a.positional()[0], f);
    std::printf("%s\n", scenarioFileSummaryJson(f).c_str());
    return 0;
}

int diff(int argc, char** argv) {
    Args a(argc, argv, 3, {"json"});
    a.allowOnly({"json"});
    if (a.positional().size() != 2) throw UsageError("expected two files: A B");
    const ScenarioFileLoad fa = open(a.positional()[0]), fb = open(a.positional()[1]);
    std::printf("%s\n", scenarioDiffJson(fa.ws, fb.ws).c_str());
    return 0;
}

int exportFile(int argc, char** argv) {
    Args a(argc, argv, 3, {"json", "hide-account-names", "band-money"});
    a.allowOnly(datasetOptionNames({"json", "out", "assignment", "scenario-name", "title", "author", "description", "redact-reps",
                                    "hide-account-names", "band-money", "omit-column"}));
    const std::string out = a.required("out");
    Workspace ws;
    loadDatasets(a, ws, {DatasetKind::Accounts});
    const auto assignments = a.all("assignment");
    const auto names = a.all("scenario-name");
    for (std::size_t i = 0; i < assignments.size(); ++i) {
        AssignmentFile f;
        std::string error;
        if (!parseAssignment(ws, readFile(assignments[i]), assignments[i], f, error)) throw InputError(error);
        for (const std::string& e : f.errors) std::fprintf(stderr, "%s\n", e.c_str());
        const std::size_t s = ws.addScenarioCopy(0, i < names.size() ? names[i] : ws.freshScenarioName());
        const CommandResult r = applyAssignmentFile(ws, ws.scenarios[s], f, assignments[i]);
        if (!r.ok) throw InputError(assignments[i] + ": " + r.error);
        ws.activeScenario = s;
    }
    SaveOptions opt;
    opt.title = a.get("title");
    opt.author = a.get("author");
    opt.description = a.get("description");
    const std::string reps = a.get("redact-reps", "keep");
    if (reps == "initials") opt.redaction.repNames = Redaction::RepNames::Initials;
    else if (reps == "aliases") opt.redaction.repNames = Redaction::RepNames::Aliases;
    else if (reps != "keep") throw UsageError("--redact-reps must be keep, initials or aliases");
    opt.redaction.hideAccountNames = a.has("hide-account-names");
    opt.redaction.bandMoney = a.has("band-money");
    opt.redaction.omitColumns = a.all("omit-column");
    const std::string doc = saveScenarioFile(ws, opt);
    writeFile(out, doc);
    if (a.has("json")) std::printf("{\"out\":\"%s\",\"bytes\":%zu,\"scenarios\":%zu}\n", out.c_str(), doc.size(), ws.scenarios.size());
    else std::fprintf(stderr, "wrote %s (%zu bytes, %zu scenarios)\n", out.c_str(), doc.size(), ws.scenarios.size());
    return 0;
}

int run(int argc, char** argv) {
    if (argc < 3) throw UsageError("expected a subcommand: validate, summary, diff or export");
    const std::string sub = argv[2];
    if (sub == "validate") return validate(argc, argv);
    if (sub == "summary") return summary(argc, argv);
    if (sub == "diff") return diff(argc, argv);
    if (sub == "export") return exportFile(argc, argv);
    throw UsageError("unknown subcommand '" + sub + "'");
}

const Command kCmd("scenario",
                   "validate FILE [--json] | summary FILE --json | diff A B --json | export --accounts A.csv [--reps R.csv] "
                   "[--territories T.csv] [--opportunities O.csv] [--assignment X.csv [--scenario-name NAME]]... [--title T] "
                   "[--author A] [--redact-reps keep|initials|aliases] [--hide-account-names] [--band-money] "
                   "[--omit-column dataset.column]... --out FILE.terrane",
                   "Scenario files (.terrane): validate, summarise, compare, and build one from CSV files", &run);

} // namespace
} // namespace terrane::cli
