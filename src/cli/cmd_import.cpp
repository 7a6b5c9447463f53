// terrane import: one CRM export read, typed, geocoded and checked, with the full report.
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/import/hygiene.hpp"
#include "core/import/import.hpp"
#include "core/import/loader.hpp"
#include "core/import/other_kinds.hpp"
#include "core/base/format.hpp"
#include "core/base/text.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace terrane::cli {
namespace {

std::string delimiterName(char d) {
    switch (d) {
    case ',': return "comma";
    case ';': return "semicolon";
    case '\t': return "tab";
    case '|': return "pipe";
    default: return std::string(1, d);
    }
}

int run(int argc, char** argv) {
    Args a(argc, argv, 2, {"json"});
    std::vector<std::string> known = datasetOptionNames(
        {"json", "kind", "map", "rejects", "ambiguous-dates", "decimal", "delimiter", "multiply", "as-of", "stale-days", "mappings",
         "max-examples", "mode", "findings-csv"});
    a.allowOnly(known);
    if (a.positional().size() != 1) throw UsageError("expected exactly one FILE to import");
    const std::string path = a.positional()[0];

    ImportOptions opt;
    opt.fileName = path;
    if (a.has("kind")) {
        if (!parseDatasetKind(a.get("kind"), opt.kind))
            throw UsageError("--kind must be one of accounts, reps, territories, opportunities, stage_history, bookings, products");
    }
    for (const std::string& m : a.all("map")) {
        const std::size_t eq = m.find('=');
        if (eq == std::string::npos || eq == 0) throw UsageError("--map takes field=Header, got '" + m + "'");
        opt.mapping.emplace_back(m.substr(0, eq), m.substr(eq + 1));
    }
    ImportMode mode = ImportMode::Replace;
    if (a.has("mode") && !parseImportMode(a.get("mode"), mode)) throw UsageError("--mode must be replace, add or update");
    if (a.has("date-order")) {
        if (!parseDateOrder(a.get("date-order"), opt.dateOrder) || opt.dateOrder == DateOrder::YMD)
            throw UsageError("--date-order must be dmy, mdy or auto");
    }
    if (a.has("decimal")) {
        const std::string d = a.get("decimal");
        if (d == "comma") opt.decimalSeparator = ',';
        else if (d == "dot") opt.decimalSeparator = '.';
        else if (d != "auto") throw UsageError("--decimal must be comma, dot or auto");
    }
    if (a.has("delimiter")) {
        const std::string d = a.get("delimiter");
        if (d == "," || d == "comma") opt.delimiter = ',';
        else if (d == ";" || d == "semicolon") opt.delimiter = ';';
        else if (d == "tab" || d == "\t" || d == "\\t") opt.delimiter = '\t';
        else if (d == "|" || d == "pipe") opt.delimiter = '|';
        else if (d != "auto") throw UsageError("--delimiter must be , ; tab | or auto (got '" + d + "')");
    }
    for (const std::string& m : a.all("multiply")) {
        const std::size_t eq = m.find('=');
        double k = 0;
        std::string num = eq == std::string::npos ? std::string() : m.substr(eq + 1);
        double unit = 1;
        if (!num.empty() && (num.back() == 'k' || num.back() == 'K')) unit = 1e3, num.pop_back();
        else if (!num.empty() && (num.back() == 'm' || num.back() == 'M')) unit = 1e6, num.pop_back();
        if (eq == std::string::npos || eq == 0 || !parseDouble(num, k) || !(k > 0) || k * unit > 1e12)
            throw UsageError("--multiply takes field=FACTOR (e.g. revenue=1000000 or revenue=1M), got '" + m + "'");
        opt.multipliers.emplace_back(m.substr(0, eq), k * unit);
    }
    DateOrder ambiguous = DateOrder::MDY;
    if (a.has("ambiguous-dates")) {
        if (!parseDateOrder(a.get("ambiguous-dates"), ambiguous) || (ambiguous != DateOrder::DMY && ambiguous != DateOrder::MDY))
            throw UsageError("--ambiguous-dates must be dmy or mdy");
    }
    opt.ambiguousDateOrder = ambiguous;
    HygieneOptions hopt;
    hopt.asOf = todayUtc();
    if (a.has("as-of") && !parseIsoDate(a.get("as-of"), hopt.asOf)) throw UsageError("--as-of must be a date like 2026-03-31");
    opt.asOf = hopt.asOf;
    const long long stale = a.integer("stale-days", 30);
    if (stale < 1 || stale > 3650) throw UsageError("--stale-days must be between 1 and 3650");
    hopt.staleDays = static_cast<int>(stale);
    const long long maxExamples = a.integer("max-examples", 10);
    if (maxExamples < 0) throw UsageError("--max-examples must be 0 or more");
    MappingMemory memory;
    if (a.has("mappings")) {
        std::string err;
        if (!memory.fromJson(readFile(a.get("mappings")), err)) throw InputError(a.get("mappings") + ": " + err);
        opt.memory = &memory;
    }

    // Context: other datasets to check references against (--accounts, --reps, ...).
    Workspace ws;
    ws.settings.ambiguousDateOrder = ambiguous;
    ws.settings.staleDays = hopt.staleDays;
    loadDatasets(a, ws, {});

    std::string bytes = readFile(path);
    if (!a.has("kind")) {
        ImportOptions probe = opt;
        probe.detectKind = true;
        const ImportPreview pv = previewImport(bytes, probe, 200, 0);
        if (!pv.readable) throw InputError(pv.error);
        // A CRM file Terrane does not plan with (contacts, leads, ...) is skipped, not guessed at.
        if (const OtherKind other = pv.rememberedMapping ? OtherKind{} : recogniseOtherKind(pv.header); other.recognised) {
            const std::string line = otherKindSkipLine(path, other);
            if (a.has("json")) {
                nlohmann::ordered_json j;
                j["file"] = path;
                j["skipped"] = true;
                j["recognised_as"] = other.name;
                j["evidence"] = other.evidence;
                j["reason"] = line;
                std::printf("%s\n", j.dump().c_str());
            } else {
                std::printf("%s\n", line.c_str());
            }
            return kExitSkipped;
        }
        if (!pv.rememberedMapping && !kindGuessConfident(pv.kinds)) {
            std::string cands;
            for (std::size_t i = 0; i < pv.kinds.size() && i < 3; ++i)
                if (pv.kinds[i].score > 0) cands += std::string(cands.empty() ? "" : ", ") + datasetKindName(pv.kinds[i].kind) + " (" + pv.kinds[i].reason + ")";
            throw UsageError("cannot tell reliably what " + path + " holds from its header" + (cands.empty() ? "" : "; candidates: " + cands) +
                             "; pass --kind");
        }
        opt.kind = pv.kind;
        opt.detectKind = true;
    }

    ImportJob job(std::move(bytes), opt, ws.pool);
    runToCompletion(job);
    ImportResult& res = job.result();
    if (!res.ok) throw InputError(res.error);
    ImportReport report = res.report; // the table moves into the workspace below
    if (a.has("rejects")) writeFile(a.get("rejects"), rejectsToCsv(report));
    // Into a dataset the context options already filled: nothing is replaced without --mode.
    const bool into = ws.table(report.kind).rows() > 0;
    if (into && !a.has("mode"))
        throw UsageError(std::string(datasetKindName(report.kind)) + " already hold " + fmt::count(ws.table(report.kind).rows()) +
                         " rows from the context files; pass --mode replace, add or update (update by id)");
    if (mode == ImportMode::UpdateById && !canUpdateById(report.kind))
        throw UsageError(std::string(datasetKindName(report.kind)) + " have no id to update by; use --mode replace or add");
    const MergeCounts merged = commitImport(ws, res, mode, hopt.asOf);
    const StageTable& stages = ws.settings.stages;
    const bool showStages = report.kind == DatasetKind::Opportunities && !stages.empty();
    if (showStages) report.warnings.insert(report.warnings.end(), stages.warnings.begin(), stages.warnings.end());
    const auto h0 = std::chrono::steady_clock::now();
    const HygieneReport hyg = checkHygiene(ws, hopt);
    if (a.has("findings-csv")) writeFile(a.get("findings-csv"), findingsToCsv(ws, hyg));
    const double hygieneMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - h0).count();

    const Table& t = ws.table(report.kind);
    if (a.has("json")) {
        nlohmann::ordered_json j;
        j["file"] = report.fileName;
        j["bytes"] = report.bytes;
        j["sha256"] = report.sha256;
        j["kind"] = datasetKindName(report.kind);
        j["kind_detected"] = report.kindDetected;
        j["encoding"] = report.encoding;
        j["delimiter"] = std::string(1, report.delimiter);
        j["delimiter_name"] = delimiterName(report.delimiter);
        j["decimal_separator"] = std::string(1, report.decimalSeparator);
        j["rows_read"] = report.rowsRead;
        j["rows_accepted"] = report.rowsAccepted;
        j["rows_rejected"] = report.rowsRejected;
        j["remembered_mapping"] = report.rememberedMapping;
        j["header_signature"] = report.signature;
        nlohmann::ordered_json mapping = nlohmann::ordered_json::array();
        nlohmann::ordered_json extras = nlohmann::ordered_json::array();
        for (const FieldMapping& m : report.mapping) {
            if (m.extra) {
                extras.push_back(m.header);
                continue;
            }
            nlohmann::ordered_json f;
            f["field"] = m.field;
            f["header"] = m.sourceColumn >= 0 ? nlohmann::ordered_json(m.header) : nlohmann::ordered_json(nullptr);
            f["type"] = columnTypeName(m.type);
            f["source"] = m.source.empty() ? "not in file" : m.source;
            if (m.sourceColumn >= 0) {
                const ColumnProfile& p = report.columns[static_cast<std::size_t>(m.sourceColumn)];
                f["detected_type"] = columnTypeName(p.detected);
                f["values"] = p.values;
                f["empty"] = p.empty;
                f["failures"] = p.failures;
                f["fail_samples"] = p.failSamples;
                if (m.type == ColumnType::Date) {
                    f["date_order"] = dateOrderName(p.dateOrder);
                    f["date_order_ambiguous"] = p.dateOrderAmbiguous;
                }
                if (!p.note.empty()) f["note"] = p.note;
                if (p.multiplier != 1) f["multiplier"] = p.multiplier;
                if (p.suggestedMultiplier > 0) f["suggested_multiplier"] = p.suggestedMultiplier;
            }
            mapping.push_back(f);
        }
        j["mapping"] = mapping;
        j["extra_columns"] = extras;
        j["warnings"] = report.warnings;
        if (report.kind == DatasetKind::Opportunities) {
            nlohmann::ordered_json st = nlohmann::ordered_json::array();
            for (const StageRow& r : stages.stages)
                st.push_back({{"name", r.name},
                              {"count", r.count},
                              {"outcome", stageOutcomeName(r.outcome)},
                              {"order", r.order},
                              {"probability", std::isnan(r.probability) ? nlohmann::ordered_json(nullptr)
                                                                        : nlohmann::ordered_json(std::round(r.probability * 1e4) / 1e4)},
                              {"source", stageSourceName(r.source)},
                              {"why", r.why}});
            j["stages"] = st;
            j["outcomes_from_stages"] = showStages && stages.outcomesFromStages;
        }
        nlohmann::ordered_json rejects = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < report.rejects.size() && i < static_cast<std::size_t>(maxExamples); ++i) {
            const RejectedRow& r = report.rejects[i];
            rejects.push_back({{"line", r.line}, {"record", r.record}, {"column", r.column}, {"raw", r.raw}, {"expected", r.expected}});
        }
        j["rejects"] = rejects;
        if (report.kind == DatasetKind::Accounts && report.geocode.ran) {
            nlohmann::ordered_json g = nlohmann::ordered_json::object();
            for (int p = kGeoPrecisionCount - 1; p >= 0; --p)
                g[geoPrecisionName(static_cast<GeoPrecision>(p))] = report.geocode.counts[static_cast<std::size_t>(p)];
            nlohmann::ordered_json unplaced = nlohmann::ordered_json::array();
            const int idCol = t.indexOf("account_id");
            for (std::size_t i = 0; i < report.geocode.unplaced.size() && i < static_cast<std::size_t>(maxExamples); ++i)
                unplaced.push_back(std::string(t.str(idCol, report.geocode.unplaced[i])));
            j["geocode"] = {{"precision", g}, {"unplaced", report.geocode.unplaced.size()}, {"unplaced_examples", unplaced},
                            {"conflicts", report.geocode.conflicts.size()}};
        }
        if (into)
            j["merge"] = {{"mode", importModeName(mode)}, {"before", merged.before}, {"incoming", merged.incoming}, {"after", merged.after},
                          {"removed", merged.removed}, {"added", merged.added}, {"updated", merged.updated}};
        j["hygiene"] = nlohmann::ordered_json::parse(hygieneToJson(ws, hyg, static_cast<std::size_t>(maxExamples)));
        const double mbps = report.elapsedMs > 0 ? static_cast<double>(report.bytes) / 1e6 / (report.elapsedMs / 1000.0) : 0.0;
        j["timing"] = {{"import_ms", std::round(report.elapsedMs * 10) / 10}, {"mb_per_s", std::round(mbps * 10) / 10},
                       {"hygiene_ms", std::round(hygieneMs * 10) / 10}};
        std::printf("%s\n", j.dump().c_str());
    } else {
        std::printf("%s: %s, %s, %s-delimited\n", report.fileName.c_str(), datasetKindName(report.kind), report.encoding.c_str(),
                    delimiterName(report.delimiter).c_str());
        std::printf("rows read %llu, accepted %llu, rejected %llu\n", (unsigned long long)report.rowsRead,
                    (unsigned long long)report.rowsAccepted, (unsigned long long)report.rowsRejected);
        for (const FieldMapping& m : report.mapping)
            if (!m.extra && m.sourceColumn >= 0) std::printf("  %-20s <- %s (%s)\n", m.field.c_str(), m.header.c_str(), columnTypeName(m.type));
        if (into)
            std::printf("%s: %s rows before, %s in the file, %s after (%s: %s removed, %s updated, %s added)\n", datasetKindName(report.kind),
                        fmt::count(merged.before).c_str(), fmt::count(merged.incoming).c_str(), fmt::count(merged.after).c_str(),
                        importModeName(mode), fmt::count(merged.removed).c_str(), fmt::count(merged.updated).c_str(),
                        fmt::count(merged.added).c_str());
        if (showStages) {
            std::printf("stages (%s):\n", stages.outcomesFromStages ? "outcomes read from the stage" : "outcomes from the file's closed/won or status columns");
            for (const StageRow& r : stages.stages)
                std::printf("  %2d  %-28s %8llu  %-4s  %6s  (%s: %s)\n", r.order, r.name.c_str(), (unsigned long long)r.count,
                            stageOutcomeName(r.outcome), std::isnan(r.probability) ? "-" : fmt::percent(r.probability, 0).c_str(),
                            stageSourceName(r.source), r.why.c_str());
        }
        for (const std::string& w : report.warnings) std::printf("warning: %s\n", w.c_str());
        if (report.geocode.ran) {
            std::printf("placed:");
            for (int p = kGeoPrecisionCount - 1; p >= 0; --p)
                std::printf(" %s %llu", geoPrecisionName(static_cast<GeoPrecision>(p)), (unsigned long long)report.geocode.counts[static_cast<std::size_t>(p)]);
            std::printf("\n");
        }
        for (const Finding& f : hyg.findings)
            if (f.count > 0) std::printf("  %6llu  %s\n", (unsigned long long)f.count, f.title.c_str());
    }
    if (a.has("json"))
        for (const std::string& w : report.warnings) std::fprintf(stderr, "%s: warning: %s\n", path.c_str(), w.c_str());
    for (std::size_t i = 0; i < report.rejects.size() && i < 5; ++i) {
        const RejectedRow& r = report.rejects[i];
        std::fprintf(stderr, "%s: row %llu (line %llu)%s%s: expected %s\n", path.c_str(), (unsigned long long)r.record, (unsigned long long)r.line,
                     r.column.empty() ? "" : ", column ", r.column.c_str(), r.expected.c_str());
    }
    return 0;
}

const Command kCmd("import",
                   "FILE [--kind KIND] [--map field=Header ...] [--stage \"Stage=won|lost|open[:P%]\" ...] [--delimiter ,|;|tab|pipe] "
                   "[--multiply field=FACTOR ...] [--date-order dmy|mdy|auto] [--ambiguous-dates dmy|mdy] [--decimal comma|dot|auto] "
                   "[--rejects rejects.csv] [--findings-csv findings.csv] [--as-of YYYY-MM-DD] [--stale-days N] [--mappings remembered.json] "
                   "[--accounts A.csv --reps R.csv ... (context for reference checks)] [--mode replace|add|update] [--max-examples N] [--json]",
                   "Import one CRM export: detected kind, encoding and mapping, typed rows, rejects with reasons, geocoding, hygiene checks. "
                   "A file Terrane does not plan with (contacts, leads, users, ...) is skipped with its reason and exit status 3. "
                   "Importing a kind a context file already holds needs --mode: replace it, add the rows, or update rows by id",
                   &run);

} // namespace
} // namespace terrane::cli
