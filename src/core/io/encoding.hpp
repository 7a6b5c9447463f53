// Text encodings of CSV exports: detection and transcoding to UTF-8.
//
// Excel and CRMs write UTF-8 (with or without a byte order mark), UTF-16 ("Unicode text", with or
// without a BOM) and Windows-1252 ("CSV (Windows)"); files edited by hand mix UTF-8 and 1252.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace terrane {

enum class TextEncoding : std::uint8_t { Utf8, Utf8Bom, Utf16LE, Utf16BE, Windows1252, Utf8Mixed1252 };

// "utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252", "utf-8+windows-1252".
const char* textEncodingName(TextEncoding e);

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
// `firstBad` receives the offset of the first bad byte when false.
bool isValidUtf8(std::string_view s, std::size_t* firstBad = nullptr);

// What the first bytes say: a BOM, or UTF-16 by the pattern of zero bytes, else UTF-8 (which
// decodeToUtf8 downgrades to Windows-1252 or mixed when it meets invalid sequences).
TextEncoding sniffEncoding(std::string_view bytes);

// Incremental decoder to UTF-8, so a large file can be converted in slices. While the input is
// valid UTF-8 nothing is copied and text() views the input; otherwise the text is rebuilt in an
// owned buffer: UTF-16 is transcoded (unpaired surrogates become U+FFFD) and bytes that are not
// valid UTF-8 are read as Windows-1252.
class Utf8Decoder {
  public:
    explicit Utf8Decoder(std::string_view bytes);
    // Converts about `maxBytes` more input; true when all input is converted.
    bool step(std::size_t maxBytes);
    bool done() const { return m_pos >= m_in.size(); }
    double progress() const { return m_in.empty() ? 1.0 : static_cast<double>(m_pos) / static_cast<double>(m_in.size()); }
    // The UTF-8 text (valid once done()). Views the input or the owned buffer.
    std::string_view text() const;
    TextEncoding encoding() const;
    // Bytes read as Windows-1252 (for the report), and Windows-1252 bytes with no character
    // assigned (0x81, 0x8D, 0x8F, 0x90, 0x9D), which become U+FFFD.
    std::uint64_t fallbackBytes() const { return m_fallbackBytes; }
    std::uint64_t replacements() const { return m_replacements; }

  private:
    void switchToCopy();
    void stepUtf8(std::size_t end, bool last);
    void stepUtf16(std::size_t end, bool last);

    std::string_view m_in;
    std::size_t m_pos = 0;
    std::size_t m_bomLen = 0;
    TextEncoding m_sniffed = TextEncoding::Utf8;
    bool m_copy = false;
    std::string m_out;
    std::uint64_t m_multibyte = 0; // valid multi-byte UTF-8 sequences seen
    std::uint64_t m_fallbackBytes = 0;
    std::uint64_t m_replacements = 0;
};

// One-shot conversion: the UTF-8 text of `bytes`, its encoding and the fallback count.
struct DecodedText {
    TextEncoding encoding = TextEncoding::Utf8;
    std::string text;
    std::uint64_t fallbackBytes = 0;
};
DecodedText decodeToUtf8(std::string_view bytes);

// Appends code point `cp` as UTF-8.
void appendUtf8(std::string& out, std::uint32_t cp);

} // namespace terrane
