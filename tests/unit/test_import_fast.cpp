// Fast paths of the import against the general code they stand in for: the string pool's hash
// and index, SHA-256 with the CPU's instructions and on a second thread, rows read on several
// threads (against reading them in order).
#include "core/io/csv.hpp"
#include "core/import/import.hpp"
#include "core/base/rng.hpp"
#include "core/base/sha256.hpp"
#include "core/data/table.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

using namespace terrane;

namespace {

std::string randomBytes(Rng& rng, std::size_t n) {
    std::string s(n, '\0');
    for (char& c : s) c = static_cast<char>(rng.below(256));
    return s;
}

// The pool's hash as first written: the last partial word memcpy'd into a zeroed word.
std::uint64_t referencePoolHash(std::string_view s) {
    const char* p = s.data();
    std::size_t n = s.size();
    std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        h = (h ^ (w * 0x87C37B91114253D5ull)) * 0x4CF5AD432745937Full;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    if (n > 0) {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        h = (h ^ (w * 0x87C37B91114253D5ull)) * 0x4CF5AD432745937Full;
    }
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDull;
    h ^= h >> 33;
    return h;
}

} // namespace

TEST_CASE("the pool hash equals its word-at-a-time definition for every length and offset") {
    Rng rng(11);
    const std::string buf = randomBytes(rng, 256);
    for (std::size_t len = 0; len <= 64; ++len)
        for (std::size_t at = 0; at + len <= buf.size(); at += 7) {
            const std::string_view s(buf.data() + at, len);
            REQUIRE(StringPool::hashOf(s) == referencePoolHash(s));
        }
}

TEST_CASE("the string pool hands out ids in order of first appearance and finds what it holds") {
    Rng rng(12);
    StringPool pool;
    std::unordered_map<std::string, std::uint32_t> ref{{"", 0}};
    std::vector<std::string> order{""};
    for (int i = 0; i < 20000; ++i) {
        // Short strings that repeat often, and some long ones.
        std::string s =
            rng.chance(0.1) ? randomBytes(rng, rng.below(100)) : "v" + std::to_string(rng.below(3000));
        const std::uint32_t id = pool.intern(s);
        const auto [it, added] = ref.emplace(s, static_cast<std::uint32_t>(order.size()));
        if (added) order.push_back(s);
        REQUIRE(id == it->second);
    }
    REQUIRE(pool.size() == order.size());
    for (std::uint32_t id = 0; id < order.size(); ++id) {
        CHECK(pool.view(id) == order[id]);
        CHECK(pool.find(order[id]) == id);
    }
    CHECK_FALSE(pool.find("not interned").has_value());
    CHECK(pool.intern("") == 0);
}

TEST_CASE("SHA-256 with the CPU's SHA instructions equals the portable code for any length and split") {
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    Rng rng(13);
    const std::string buf = randomBytes(rng, 5000);
    auto digestOf = [&](std::string_view s, bool portable, std::size_t split) {
        sha256ForcePortable(portable);
        Sha256 h;
        h.update(s.substr(0, split));
        h.update(s.substr(split));
        const std::string d = h.hexDigest();
        sha256ForcePortable(false);
        return d;
    };
    for (std::size_t len = 0; len < 300; ++len) {
        const std::string_view s(buf.data() + len % 13, len);
        const std::size_t split = len ? rng.below(static_cast<std::uint32_t>(len)) : 0;
        REQUIRE(digestOf(s, true, 0) == digestOf(s, false, split));
    }
    for (std::size_t len : {1000, 4095, 4096, 4097, 4999})
        REQUIRE(digestOf(std::string_view(buf).substr(0, len), true, len / 3) ==
                digestOf(std::string_view(buf).substr(0, len), false, 0));
    const std::string hardware = sha256UsesHardware() ? "SHA-256 in hardware: yes" : "SHA-256 in hardware: no";
    MESSAGE(hardware);
}

TEST_CASE("the import's fingerprint is the file's SHA-256 however the job ends") {
    ImportOptions opt;
    opt.fileName = "t.csv";
    const std::string good = "account_id,name\nA1,One\nA2,Two\n";
    const ImportResult ok = importCsv(good, opt, nullptr);
    REQUIRE(ok.ok);
    CHECK(ok.report.sha256 == sha256Hex(good));
    // Refused at the header: the fingerprint is still recorded.
    const std::string noId = "city,state\nx,y\n";
    const ImportResult bad = importCsv(noId, opt, nullptr);
    CHECK_FALSE(bad.ok);
    CHECK(bad.report.sha256 == sha256Hex(noId));
    // One known to the host is taken as is.
    opt.knownSha256 = std::string(64, 'a');
    CHECK(importCsv(good, opt, nullptr).report.sha256 == opt.knownSha256);
    // Sliced in small steps, larger than one hashing slice.
    std::string big = "account_id,name\n";
    for (int i = 0; big.size() < (std::size_t{9} << 20); ++i)
        big += "A" + std::to_string(i) + ",Name " + std::to_string(i % 977) + "\n";
    ImportOptions plain;
    plain.fileName = "big.csv";
    ImportJob job(big, plain, nullptr);
    while (!job.step(1.0)) {
    }
    REQUIRE(job.result().ok);
    CHECK(job.result().report.sha256 == sha256Hex(big));
    // Cancelled while hashing: no crash, no result.
    ImportJob cancelled(big, plain, nullptr);
    cancelled.step(0.0);
    cancelled.cancel();
    CHECK(cancelled.step(10));
    CHECK_FALSE(cancelled.result().ok);
}

namespace {

// The CSV reader's rules, one byte at a time: the reference for its block scanner.
struct PlainRecord {
    std::vector<std::string> fields;
    std::uint64_t line = 0, offset = 0;
    bool unterminated = false;
};

bool referenceNext(std::string_view t, char delim, std::size_t& pos, std::uint64_t& line, PlainRecord& rec) {
    rec = PlainRecord{};
    const std::size_t n = t.size();
    while (pos < n && (t[pos] == '\n' || t[pos] == '\r')) {
        if (t[pos] == '\n') ++line;
        ++pos;
    }
    if (pos >= n) return false;
    rec.line = line;
    rec.offset = pos;
    for (;;) {
        std::string field;
        if (t[pos] == '"') {
            ++pos;
            bool closed = false;
            while (pos < n) {
                const char c = t[pos];
                if (c == '"' && pos + 1 < n && t[pos + 1] == '"') {
                    field += '"';
                    pos += 2;
                } else if (c == '"') {
                    ++pos;
                    closed = true;
                    break;
                } else {
                    if (c == '\n') ++line;
                    field += c;
                    ++pos;
                }
            }
            rec.unterminated |= !closed;
            while (pos < n && t[pos] != delim && t[pos] != '\n' && t[pos] != '\r') field += t[pos++];
        } else {
            while (pos < n && t[pos] != delim && t[pos] != '\n' && t[pos] != '\r') field += t[pos++];
        }
        rec.fields.push_back(field);
        if (pos >= n) return true;
        if (t[pos] == delim) {
            if (++pos >= n) {
                rec.fields.emplace_back();
                return true;
            }
            continue;
        }
        if (t[pos] == '\r') ++pos;
        if (pos < n && t[pos] == '\n') ++pos;
        ++line;
        return true;
    }
}

} // namespace

TEST_CASE("the CSV reader's block scanner gives the records of the byte-at-a-time rules (property)") {
    Rng rng(14);
    const std::string alphabets[] = {"ab,\"\n\r; ", "abcdefgh,,,\n",
                                     "abcdefghijklmnopqrstuvwxyz0123456789,\n", "a\"\"\",\n\r"};
    for (int trial = 0; trial < 3000; ++trial) {
        const std::string& abc = alphabets[trial % 4];
        const char delim = trial % 5 == 0 ? ';' : ',';
        std::string text(rng.below(400), ' ');
        for (char& c : text) c = abc[rng.below(static_cast<std::uint32_t>(abc.size()))];
        CsvReader reader(text, delim);
        CsvRecord rec;
        std::size_t pos = 0;
        std::uint64_t line = 1;
        PlainRecord want;
        for (;;) {
            const bool more = referenceNext(text, delim, pos, line, want);
            REQUIRE(reader.next(rec) == more);
            if (!more) break;
            REQUIRE(rec.fields.size() == want.fields.size());
            for (std::size_t i = 0; i < want.fields.size(); ++i) REQUIRE(rec.fields[i] == want.fields[i]);
            REQUIRE(rec.line == want.line);
            REQUIRE(rec.offset == want.offset);
            REQUIRE(rec.unterminatedQuote == want.unterminated);
            REQUIRE(reader.bytesConsumed() == pos);
            REQUIRE(reader.linesConsumed() == line);
        }
    }
}

namespace {

// Opportunities with everything the rows loop treats specially: quoted names over several lines
// with doubled quotes, CRLF and blank lines, bad amounts and dates, missing ids, rows with too many
// and too few fields, day-first dates with a few that only fit month-first (rejected late),
// probabilities up to 100, repeated ids, failing values longer than a sample, and a quote left open
// at the end.
std::string messyOpportunities(std::size_t rows, std::uint64_t seed, double multiline) {
    Rng rng(seed);
    std::string s = "opportunity_id,account_id,name,stage,amount,probability,close_date,is_won,next_step\n";
    static const char* kStages[] = {"Prospecting", "Discovery", "Proposal", "Closed Won", "Closed Lost"};
    const std::string longBad(120, 'x');
    for (std::size_t i = 0; i < rows; ++i) {
        const std::uint32_t roll = rng.below(1000);
        if (roll == 0) s += "\n";
        if (roll == 1) s += "\r\n\r\n";
        const std::string id = roll == 2 ? "" : "O" + std::to_string(roll == 3 ? i / 2 : i);
        s += id + ",A" + std::to_string(rng.below(5000)) + ",";
        if (rng.chance(multiline))
            s += "\"Deal \"\"" + std::to_string(i) + "\"\",\nline two\r\nline three\"";
        else
            s += "Deal " + std::to_string(rng.below(20000));
        s += ",";
        s += kStages[rng.below(5)];
        s += ",";
        if (roll == 4)
            s += "12x.5";
        else if (roll == 5)
            s += longBad;
        else if (roll == 6)
            s += longBad + "y";
        else
            s += std::to_string(rng.below(100000)) + "." + std::to_string(rng.below(90) + 10);
        s += ",";
        s += std::to_string(rng.below(101));
        s += ",";
        // Day first: day 13..28 settles the column as DD/MM; day and month both <= 12 fit either.
        const int day = static_cast<int>(rng.below(28)) + 1, month = static_cast<int>(rng.below(12)) + 1;
        if (roll == 7)
            s += "13/31/2024"; // only month-first
        else if (roll == 8)
            s += "2024-02-30";
        else
            s += std::to_string(day) + "/" + std::to_string(month) + "/2024";
        s += ",";
        s += rng.chance(0.5) ? "true" : "false";
        if (roll == 9)
            s += ",call back,extra"; // one field too many
        else if (roll != 10)
            s += ",call " + std::to_string(rng.below(50)); // roll 10: one short
        s += roll == 11 ? "\r\n" : "\n";
    }
    s += "Olast,A1,\"open quote,Proposal,1.00,10,1/1/2024,true,x\n";
    return s;
}

void requireSameImport(const ImportResult& a, const ImportResult& b) {
    REQUIRE(a.ok == b.ok);
    CHECK(a.error == b.error);
    const ImportReport& ra = a.report;
    const ImportReport& rb = b.report;
    CHECK(ra.rowsRead == rb.rowsRead);
    CHECK(ra.rowsAccepted == rb.rowsAccepted);
    CHECK(ra.rowsRejected == rb.rowsRejected);
    CHECK(ra.warnings == rb.warnings);
    REQUIRE(ra.rejects.size() == rb.rejects.size());
    for (std::size_t i = 0; i < ra.rejects.size(); ++i) {
        const RejectedRow& x = ra.rejects[i];
        const RejectedRow& y = rb.rejects[i];
        INFO("reject " << i);
        CHECK(x.line == y.line);
        CHECK(x.record == y.record);
        CHECK(x.column == y.column);
        CHECK(x.raw == y.raw);
        CHECK(x.expected == y.expected);
        CHECK(x.text == y.text);
    }
    CHECK(rejectsToCsv(ra) == rejectsToCsv(rb));
    REQUIRE(ra.columns.size() == rb.columns.size());
    for (std::size_t c = 0; c < ra.columns.size(); ++c) {
        const ColumnProfile& x = ra.columns[c];
        const ColumnProfile& y = rb.columns[c];
        INFO("column " << x.header);
        CHECK(x.values == y.values);
        CHECK(x.empty == y.empty);
        CHECK(x.failures == y.failures);
        CHECK(x.failSamples == y.failSamples);
        CHECK(x.samples == y.samples);
        CHECK(x.detected == y.detected);
        CHECK(x.dateOrder == y.dateOrder);
        CHECK(x.dateOrderAmbiguous == y.dateOrderAmbiguous);
        CHECK(x.note == y.note);
    }
    // The same cells, and the same string ids in pools that hold the same strings in the same order.
    const Table& ta = a.table;
    const Table& tb = b.table;
    REQUIRE(ta.rows() == tb.rows());
    REQUIRE(ta.columnCount() == tb.columnCount());
    for (std::size_t c = 0; c < ta.columnCount(); ++c) {
        const Column& x = ta.column(c);
        const Column& y = tb.column(c);
        INFO("table column " << x.name());
        REQUIRE(x.type() == y.type());
        switch (x.type()) {
        case ColumnType::F64:
            CHECK(std::memcmp(x.f64().data(), y.f64().data(), x.f64().size() * sizeof(double)) == 0);
            break;
        case ColumnType::I64:
        case ColumnType::Money:
        case ColumnType::Date:
            CHECK(x.i64() == y.i64());
            break;
        case ColumnType::Bool:
            CHECK(x.u8() == y.u8());
            break;
        case ColumnType::String:
            CHECK(x.ids() == y.ids());
            break;
        }
    }
    const StringPool& pa = ta.pool();
    const StringPool& pb = tb.pool();
    REQUIRE(pa.size() == pb.size());
    for (std::uint32_t id = 0; id < pa.size(); ++id) REQUIRE(pa.view(id) == pb.view(id));
}

ImportResult importWith(const std::string& text, unsigned threads, bool mergeAll, double stepMs = 1e9) {
    ImportOptions opt;
    opt.fileName = "opps.csv";
    opt.kind = DatasetKind::Opportunities;
    opt.rowThreads = threads;
    opt.parallelMinBytes = 0;
    opt.mergeEveryPart = mergeAll;
    ImportJob job(text, opt, std::make_shared<StringPool>());
    while (!job.step(stepMs)) {
    }
    return std::move(job.result());
}

} // namespace

TEST_CASE("rows read on several threads give the table, pool and report of reading them in order") {
    const std::string text = messyOpportunities(30000, 21, 0.002);
    const ImportResult inOrder = importWith(text, 1, false);
    REQUIRE(inOrder.ok);
    CHECK(inOrder.report.partsMerged == 0);
    REQUIRE(inOrder.report.rowsRejected > 20); // the generator's bad rows are there
    CHECK(inOrder.report.warnings.size() >= 2);
    for (unsigned threads : {2u, 3u, 5u}) {
        INFO("threads " << threads);
        const ImportResult merged = importWith(text, threads, true);
        CHECK(merged.report.partsMerged > 0);
        requireSameImport(inOrder, merged);
        requireSameImport(inOrder, importWith(text, threads, false));
    }
    // In small steps: the job waits for parts across steps.
    requireSameImport(inOrder, importWith(text, 3, true, 0.2));
}

TEST_CASE("rows read on several threads stay exact when parts start inside quoted fields") {
    // Most records span lines: many guessed part starts fall inside a quoted field.
    const std::string text = messyOpportunities(4000, 22, 0.7);
    const ImportResult inOrder = importWith(text, 1, false);
    REQUIRE(inOrder.ok);
    for (unsigned threads : {2u, 4u, 8u}) {
        INFO("threads " << threads);
        requireSameImport(inOrder, importWith(text, threads, true));
        requireSameImport(inOrder, importWith(text, threads, false));
    }
    // A quote opened early that never closes swallows every later part start.
    const std::string open =
        "opportunity_id,name,amount\nO1,\"never closed,1\n" + messyOpportunities(3000, 23, 0.0);
    requireSameImport(importWith(open, 1, false), importWith(open, 4, true));
}

TEST_CASE("an import cancelled while threads read its rows stops cleanly") {
    const std::string text = messyOpportunities(20000, 24, 0.01);
    ImportOptions opt;
    opt.fileName = "opps.csv";
    opt.kind = DatasetKind::Opportunities;
    opt.rowThreads = 4;
    opt.parallelMinBytes = 0;
    for (int steps = 1; steps < 40; steps += 7) {
        ImportJob job(text, opt, nullptr);
        for (int i = 0; i < steps && !job.step(0.5); ++i) {
        }
        job.cancel();
        CHECK(job.step(10));
    }
}

TEST_CASE("quoted values with doubled quotes in consecutive rows keep their own text") {
    // Unescaped fields live in the reader's scratch storage: equal lengths once made a row reuse
    // the previous row's string.
    const std::string text =
        "account_id,name\nA1,\"x \"\"a\"\"\"\nA2,\"x \"\"b\"\"\"\nA3,\"x \"\"b\"\"\"\nA4,x \"b\"\n";
    ImportOptions opt;
    opt.fileName = "q.csv";
    opt.geocode = false;
    const ImportResult r = importCsv(text, opt, nullptr);
    REQUIRE(r.ok);
    const int name = r.table.indexOf("name");
    REQUIRE(r.table.rows() == 4);
    CHECK(r.table.str(name, 0) == "x \"a\"");
    CHECK(r.table.str(name, 1) == "x \"b\"");
    CHECK(r.table.str(name, 2) == "x \"b\"");
    CHECK(r.table.str(name, 3) == "x \"b\"");
    CHECK(r.table.column(static_cast<std::size_t>(name)).ids()[1] ==
          r.table.column(static_cast<std::size_t>(name)).ids()[3]);
}
