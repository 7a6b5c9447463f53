// Encoding detection and transcoding to UTF-8.
#include "core/io/encoding.hpp"
#include "core/base/rng.hpp"

#include <doctest/doctest.h>

using namespace terrane;

namespace {
std::string utf16(std::u16string_view s, bool le, bool bom) {
    std::string out;
    if (bom) out += le ? "\xFF\xFE" : "\xFE\xFF";
    for (char16_t c : s) {
        const char lo = static_cast<char>(c & 0xFF), hi = static_cast<char>(c >> 8);
        out += le ? lo : hi;
        out += le ? hi : lo;
    }
    return out;
}
} // namespace

TEST_CASE("UTF-8 with and without BOM is viewed, not copied") {
    const DecodedText a = decodeToUtf8("id,name\n1,Caf\xC3\xA9\n");
    CHECK(a.encoding == TextEncoding::Utf8);
    CHECK(a.text == "id,name\n1,Caf\xC3\xA9\n");
    const DecodedText b = decodeToUtf8("\xEF\xBB\xBFid\n1\n");
    CHECK(b.encoding == TextEncoding::Utf8Bom);
    CHECK(b.text == "id\n1\n");
    CHECK(std::string(textEncodingName(b.encoding)) == "utf-8-bom");
}

TEST_CASE("UTF-16 little and big endian, with or without BOM, become UTF-8") {
    const std::u16string s = u"id,name\r\n1,M\u00FCller \u20AC \U0001F600\r\n";
    const std::string want = "id,name\r\n1,M\xC3\xBCller \xE2\x82\xAC \xF0\x9F\x98\x80\r\n";
    for (bool le : {true, false}) {
        for (bool bom : {true, false}) {
            const DecodedText d = decodeToUtf8(utf16(s, le, bom));
            CHECK(d.encoding == (le ? TextEncoding::Utf16LE : TextEncoding::Utf16BE));
            CHECK(d.text == want);
        }
    }
    // An unpaired surrogate becomes U+FFFD instead of invalid UTF-8.
    const DecodedText bad = decodeToUtf8(utf16(std::u16string(u"ab") + char16_t(0xD800) + u"cd", true, true));
    CHECK(bad.text == "ab\xEF\xBF\xBD" "cd");
}

TEST_CASE("invalid UTF-8 falls back to Windows-1252, per byte, and says so") {
    const DecodedText w = decodeToUtf8("name\nCaf\xE9 \x80 \x93q\x94\n");
    CHECK(w.encoding == TextEncoding::Windows1252);
    CHECK(w.text == "name\nCaf\xC3\xA9 \xE2\x82\xAC \xE2\x80\x9Cq\xE2\x80\x9D\n");
    CHECK(w.fallbackBytes == 4);
    const DecodedText m = decodeToUtf8("a\nM\xC3\xBCnchen\nZ\xFCrich\n");
    CHECK(m.encoding == TextEncoding::Utf8Mixed1252);
    CHECK(m.text == "a\nM\xC3\xBCnchen\nZ\xC3\xBCrich\n");
    // Unassigned 1252 bytes become U+FFFD.
    CHECK(decodeToUtf8("x\x81y").text == "x\xEF\xBF\xBDy");
}

TEST_CASE("the incremental decoder gives the same text in any slice size (property)") {
    Rng rng(99);
    for (int trial = 0; trial < 200; ++trial) {
        std::string in;
        const int n = 1 + static_cast<int>(rng.below(300));
        for (int i = 0; i < n; ++i) {
            switch (rng.below(5)) {
            case 0: in += "\xC3\xA9"; break;
            case 1: in += static_cast<char>(0x80 + rng.below(128)); break;
            case 2: in += "\xF0\x9F\x98\x80"; break;
            default: in += static_cast<char>('a' + rng.below(26)); break;
            }
        }
        const DecodedText whole = decodeToUtf8(in);
        Utf8Decoder d(in);
        const std::size_t slice = 1 + rng.below(17);
        while (!d.step(slice)) {
        }
        CHECK(d.text() == whole.text);
        CHECK(isValidUtf8(d.text()));
    }
}

TEST_CASE("UTF-8 validation rejects overlongs, surrogates and truncation") {
    CHECK(isValidUtf8("plain ascii"));
    CHECK(isValidUtf8("\xE2\x82\xAC\xF0\x9F\x98\x80"));
    std::size_t at = 0;
    CHECK_FALSE(isValidUtf8("ab\xC0\xAF", &at));
    CHECK(at == 2);
    CHECK_FALSE(isValidUtf8("\xED\xA0\x80"));     // surrogate
    CHECK_FALSE(isValidUtf8("\xF4\x90\x80\x80")); // above U+10FFFF
    CHECK_FALSE(isValidUtf8("\xE2\x82"));         // truncated
}
