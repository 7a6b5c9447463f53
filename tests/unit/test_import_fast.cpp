// Fast paths of the import against the general code they stand in for: the string pool's hash
// and index, SHA-256 with the CPU's instructions and on a second thread.
#include "core/csv.hpp"
#include "core/import.hpp"
#include "core/rng.hpp"
#include "core/sha256.hpp"
#include "core/table.hpp"

#include <doctest/doctest.h>

#include <cstring>
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
    const std::string noId = "name,city\nx,y\n";
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
