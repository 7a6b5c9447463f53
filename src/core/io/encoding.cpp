#include "core/io/encoding.hpp"

#include <algorithm>
#include <cstring>

namespace terrane {

namespace {

// Windows-1252 0x80..0x9F; 0 marks the five unassigned bytes.
constexpr std::uint16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Length of the valid UTF-8 sequence at `p` (1..4), or 0 when it is not valid.
inline std::size_t utf8SequenceLength(const unsigned char* p, std::size_t avail) {
    const unsigned char c = p[0];
    if (c < 0x80) return 1;
    if (c < 0xC2) return 0;
    if (c < 0xE0) return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        if (c == 0xE0 && p[1] < 0xA0) return 0;  // overlong
        if (c == 0xED && p[1] >= 0xA0) return 0; // surrogate
        return 3;
    }
    if (c < 0xF5) {
        if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80) return 0;
        if (c == 0xF0 && p[1] < 0x90) return 0; // overlong
        if (c == 0xF4 && p[1] >= 0x90) return 0; // above U+10FFFF
        return 4;
    }
    return 0;
}

// Index of the first byte >= 0x80 at or after `i` (or `end`).
inline std::size_t skipAscii(const unsigned char* p, std::size_t i, std::size_t end) {
    while (i + 8 <= end) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ull) break;
        i += 8;
    }
    while (i < end && p[i] < 0x80) ++i;
    return i;
}

} // namespace

const char* textEncodingName(TextEncoding e) {
    switch (e) {
    case TextEncoding::Utf8: return "utf-8";
    case TextEncoding::Utf8Bom: return "utf-8-bom";
    case TextEncoding::Utf16LE: return "utf-16le";
    case TextEncoding::Utf16BE: return "utf-16be";
    case TextEncoding::Windows1252: return "windows-1252";
    case TextEncoding::Utf8Mixed1252: return "utf-8+windows-1252";
    }
    return "?";
}

void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool isValidUtf8(std::string_view s, std::size_t* firstBad) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        i = skipAscii(p, i, n);
        if (i >= n) break;
        const std::size_t len = utf8SequenceLength(p + i, n - i);
        if (len == 0) {
            if (firstBad) *firstBad = i;
            return false;
        }
        i += len;
    }
    return true;
}

TextEncoding sniffEncoding(std::string_view bytes) {
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) return TextEncoding::Utf8Bom;
    if (n >= 2 && p[0] == 0xFF && p[1] == 0xFE) return TextEncoding::Utf16LE;
    if (n >= 2 && p[0] == 0xFE && p[1] == 0xFF) return TextEncoding::Utf16BE;
    // No BOM: UTF-16 text of mostly ASCII has a zero in every other byte.
    const std::size_t m = std::min<std::size_t>(n, 4096) & ~std::size_t{1};
    if (m < 4) return TextEncoding::Utf8;
    std::size_t zeroEven = 0, zeroOdd = 0;
    for (std::size_t i = 0; i < m; i += 2) {
        zeroEven += p[i] == 0;
        zeroOdd += p[i + 1] == 0;
    }
    const std::size_t half = m / 2;
    if (zeroOdd * 10 >= half * 3 && zeroEven * 20 < half) return TextEncoding::Utf16LE;
    if (zeroEven * 10 >= half * 3 && zeroOdd * 20 < half) return TextEncoding::Utf16BE;
    return TextEncoding::Utf8;
}

Utf8Decoder::Utf8Decoder(std::string_view bytes) : m_in(bytes) {
    m_sniffed = sniffEncoding(bytes);
    if (m_sniffed == TextEncoding::Utf8Bom) m_bomLen = 3;
    const bool utf16 = m_sniffed == TextEncoding::Utf16LE || m_sniffed == TextEncoding::Utf16BE;
    if (utf16) {
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
        const bool bom = bytes.size() >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF));
        m_bomLen = bom ? 2 : 0;
        m_copy = true;
        m_out.reserve(bytes.size() / 2 + 16);
    }
    m_pos = m_bomLen;
}

std::string_view Utf8Decoder::text() const {
    if (m_copy) return m_out;
    return m_in.substr(m_bomLen, m_pos - m_bomLen);
}

TextEncoding Utf8Decoder::encoding() const {
    if (m_sniffed == TextEncoding::Utf16LE || m_sniffed == TextEncoding::Utf16BE) return m_sniffed;
    if (m_fallbackBytes == 0) return m_sniffed;
    return m_multibyte == 0 ? TextEncoding::Windows1252 : TextEncoding::Utf8Mixed1252;
}

void Utf8Decoder::switchToCopy() {
    m_copy = true;
    m_out.reserve(m_in.size() + m_in.size() / 8 + 16);
    m_out.assign(m_in.substr(m_bomLen, m_pos - m_bomLen));
}

bool Utf8Decoder::step(std::size_t maxBytes) {
    if (done()) return true;
    const std::size_t end = std::min(m_in.size(), m_pos + std::max<std::size_t>(maxBytes, 4));
    const bool last = end >= m_in.size();
    if (m_sniffed == TextEncoding::Utf16LE || m_sniffed == TextEncoding::Utf16BE) stepUtf16(end, last);
    else stepUtf8(end, last);
    return done();
}

void Utf8Decoder::stepUtf8(std::size_t end, bool) {
    const auto* p = reinterpret_cast<const unsigned char*>(m_in.data());
    const std::size_t n = m_in.size();
    std::size_t i = m_pos;
    while (i < end) {
        const std::size_t run = skipAscii(p, i, end);
        if (m_copy && run > i) m_out.append(m_in.data() + i, run - i);
        i = run;
        if (i >= end) break;
        // Sequences may run past `end`: they are checked against the whole input.
        const std::size_t len = utf8SequenceLength(p + i, n - i);
        if (len > 0) {
            if (m_copy) m_out.append(m_in.data() + i, len);
            ++m_multibyte;
            i += len;
            continue;
        }
        if (!m_copy) {
            m_pos = i;
            switchToCopy();
        }
        const unsigned char c = p[i];
        std::uint32_t cp = c;
        if (c >= 0x80 && c < 0xA0) cp = kCp1252High[c - 0x80];
        if (cp == 0) {
            cp = 0xFFFD;
            ++m_replacements;
        }
        appendUtf8(m_out, cp);
        ++m_fallbackBytes;
        ++i;
    }
    m_pos = i;
}

void Utf8Decoder::stepUtf16(std::size_t end, bool) {
    const auto* p = reinterpret_cast<const unsigned char*>(m_in.data());
    const std::size_t n = m_in.size();
    const bool le = m_sniffed == TextEncoding::Utf16LE;
    auto unit = [&](std::size_t i) -> std::uint32_t {
        return le ? static_cast<std::uint32_t>(p[i] | (p[i + 1] << 8)) : static_cast<std::uint32_t>((p[i] << 8) | p[i + 1]);
    };
    std::size_t i = m_pos;
    while (i < end) {
        if (i + 1 >= n) { // odd trailing byte
            appendUtf8(m_out, 0xFFFD);
            ++m_replacements;
            i = n;
            break;
        }
        std::uint32_t u = unit(i);
        i += 2;
        if (u < 0x80) {
            m_out += static_cast<char>(u);
            continue;
        }
        if (u >= 0xD800 && u < 0xDC00) {
            if (i + 1 < n) {
                const std::uint32_t lo = unit(i);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    appendUtf8(m_out, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                    i += 2;
                    continue;
                }
            }
            u = 0xFFFD;
            ++m_replacements;
        } else if (u >= 0xDC00 && u < 0xE000) {
            u = 0xFFFD;
            ++m_replacements;
        }
        appendUtf8(m_out, u);
    }
    m_pos = i;
}

DecodedText decodeToUtf8(std::string_view bytes) {
    Utf8Decoder d(bytes);
    while (!d.step(std::size_t{1} << 30)) {
    }
    DecodedText r;
    r.encoding = d.encoding();
    r.text = std::string(d.text());
    r.fallbackBytes = d.fallbackBytes();
    return r;
}

} // namespace terrane
