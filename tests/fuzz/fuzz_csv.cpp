// libFuzzer target: the CSV reader, the value parsers, the encoding decoder, the importer (with
// preview, geocoding and rejects export) and the hygiene checks on whatever bytes come in.
// Invariants that must hold for any input trap (a crash the fuzzer reports).
#include "core/io/csv.hpp"
#include "core/io/encoding.hpp"
#include "core/import/hygiene.hpp"
#include "core/import/import.hpp"
#include "core/import/loader.hpp"
#include "core/data/values.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace terrane;

namespace {
void require(bool ok) {
    if (!ok) __builtin_trap();
}

void parseValues(std::string_view v) {
    double d = 0;
    Money m = 0;
    Date dt = 0;
    bool b = false;
    long long i = 0;
    DateParts parts;
    parseNumberText(v, d);
    parseMoneyText(v, m);
    parseIntegerText(v, i);
    parseBoolText(v, b);
    isNullToken(v);
    for (DateOrder o : {DateOrder::Auto, DateOrder::DMY, DateOrder::MDY}) {
        parseDateText(v, o, dt);
        if (parseDateCell(v, o, dt, parts) == DateCellResult::NeedsOrder) {
            resolveDateParts(parts, DateOrder::DMY, dt);
            resolveDateParts(parts, DateOrder::MDY, dt);
        }
    }
    normalizeCompanyName(v);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);

    // Encoding: the output is always valid UTF-8, sliced or not.
    const DecodedText whole = decodeToUtf8(bytes);
    require(isValidUtf8(whole.text));
    Utf8Decoder sliced(bytes);
    while (!sliced.step(1 + size % 13)) {
    }
    require(sliced.text() == whole.text);

    // Reader with every delimiter; fields feed the value parsers.
    for (char delim : {',', ';', '\t', '|'}) {
        CsvReader r(whole.text, delim);
        CsvRecord rec;
        std::size_t records = 0;
        std::uint64_t lastLine = 0;
        while (r.next(rec) && records < 2000) {
            require(rec.line >= lastLine);
            lastLine = rec.line;
            if (delim == ',' && records < 200)
                for (std::string_view f : rec.fields) parseValues(f.substr(0, 256));
            ++records;
        }
    }
    detectDelimiter(whole.text);

    // Importer: counts add up, the table matches, rejects export re-parses.
    if (size > (1u << 16)) return 0;
    for (DatasetKind kind : {DatasetKind::Accounts, DatasetKind::Opportunities, DatasetKind::StageHistory}) {
        ImportOptions opt;
        opt.kind = kind;
        opt.fileName = "fuzz.csv";
        opt.detectKind = size % 2 == 1;
        previewImport(bytes, opt, 50, 4);
        Workspace ws;
        ImportReport rep;
        std::string err;
        if (!importInto(ws, bytes, opt, rep, err)) {
            require(!err.empty());
            require(ws.sources.empty());
            continue;
        }
        require(rep.rowsRead == rep.rowsAccepted + rep.rowsRejected);
        require(rep.rejects.size() == rep.rowsRejected);
        require(ws.table(rep.kind).rows() == rep.rowsAccepted);
        const std::string rejects = rejectsToCsv(rep);
        require(parseCsv(rejects).size() == rep.rejects.size() + 1 || rep.header.empty());
        HygieneOptions h;
        h.asOf = daysFromCivil(2026, 1, 1);
        checkHygiene(ws, h);
    }
    return 0;
}
