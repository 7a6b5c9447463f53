#include "core/io/zip.hpp"

#include <array>

namespace terrane {

namespace {
const std::array<std::uint32_t, 256>& crcTable() {
    static const std::array<std::uint32_t, 256> t = [] {
        std::array<std::uint32_t, 256> a{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            a[i] = c;
        }
        return a;
    }();
    return t;
}

void put16(std::string& out, std::uint32_t v) {
    out.push_back(static_cast<char>(v & 0xFF));
    out.push_back(static_cast<char>((v >> 8) & 0xFF));
}
void put32(std::string& out, std::uint32_t v) {
    put16(out, v & 0xFFFF);
    put16(out, v >> 16);
}
std::uint32_t get16(std::string_view s, std::size_t at) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(s[at])) |
           static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + 1])) << 8;
}
std::uint32_t get32(std::string_view s, std::size_t at) {
    return get16(s, at) | get16(s, at + 2) << 16;
}

constexpr std::uint32_t kDosDate = (0u << 9) | (1u << 5) | 1u; // 1980-01-01
} // namespace

std::uint32_t crc32(std::string_view data, std::uint32_t crc) {
    const auto& t = crcTable();
    crc = ~crc;
    for (char ch : data) crc = t[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

std::string writeStoredZip(const std::vector<std::pair<std::string, std::string>>& files) {
    std::string out, central;
    for (const auto& [name, data] : files) {
        const std::uint32_t crc = crc32(data);
        const auto offset = static_cast<std::uint32_t>(out.size());
        const auto size = static_cast<std::uint32_t>(data.size());
        put32(out, 0x04034b50);
        put16(out, 20);     // version needed
        put16(out, 0x0800); // flags: UTF-8 names
        put16(out, 0);      // stored
        put16(out, 0);      // time
        put16(out, kDosDate);
        put32(out, crc);
        put32(out, size);
        put32(out, size);
        put16(out, static_cast<std::uint32_t>(name.size()));
        put16(out, 0);
        out += name;
        out += data;

        put32(central, 0x02014b50);
        put16(central, 20); // made by
        put16(central, 20);
        put16(central, 0x0800);
        put16(central, 0);
        put16(central, 0);
        put16(central, kDosDate);
        put32(central, crc);
        put32(central, size);
        put32(central, size);
        put16(central, static_cast<std::uint32_t>(name.size()));
        put16(central, 0); // extra
        put16(central, 0); // comment
        put16(central, 0); // disk
        put16(central, 0); // internal attributes
        put32(central, 0); // external attributes
        put32(central, offset);
        central += name;
    }
    const auto cdOffset = static_cast<std::uint32_t>(out.size());
    const auto cdSize = static_cast<std::uint32_t>(central.size());
    out += central;
    put32(out, 0x06054b50);
    put16(out, 0);
    put16(out, 0);
    put16(out, static_cast<std::uint32_t>(files.size()));
    put16(out, static_cast<std::uint32_t>(files.size()));
    put32(out, cdSize);
    put32(out, cdOffset);
    put16(out, 0);
    return out;
}

bool readStoredZip(std::string_view z, std::map<std::string, std::string>& files, std::string& error) {
    files.clear();
    if (z.size() < 22) return error = "too short for a ZIP archive", false;
    std::size_t eocd = std::string_view::npos;
    for (std::size_t i = z.size() - 22 + 1; i-- > 0;) {
        if (get32(z, i) == 0x06054b50) {
            eocd = i;
            break;
        }
        if (z.size() - i > 22 + 65535) break;
    }
    if (eocd == std::string_view::npos) return error = "no end-of-central-directory record", false;
    const std::uint32_t count = get16(z, eocd + 10), cdSize = get32(z, eocd + 12),
                        cdOffset = get32(z, eocd + 16);
    if (static_cast<std::size_t>(cdOffset) + cdSize > eocd)
        return error = "central directory out of range", false;
    std::size_t p = cdOffset;
    for (std::uint32_t k = 0; k < count; ++k) {
        if (p + 46 > eocd || get32(z, p) != 0x02014b50) return error = "bad central directory entry", false;
        const std::uint32_t method = get16(z, p + 10), crc = get32(z, p + 16), csize = get32(z, p + 20),
                            usize = get32(z, p + 24);
        const std::uint32_t nlen = get16(z, p + 28), xlen = get16(z, p + 30), clen = get16(z, p + 32),
                            off = get32(z, p + 42);
        if (p + 46 + nlen > eocd) return error = "truncated name", false;
        const std::string name(z.substr(p + 46, nlen));
        if (method != 0 || csize != usize) return error = name + ": not a stored entry", false;
        if (static_cast<std::size_t>(off) + 30 > z.size() || get32(z, off) != 0x04034b50)
            return error = name + ": bad local header", false;
        const std::size_t data = off + 30 + get16(z, off + 26) + get16(z, off + 28);
        if (data + usize > z.size()) return error = name + ": data out of range", false;
        const std::string_view bytes = z.substr(data, usize);
        if (crc32(bytes) != crc) return error = name + ": CRC mismatch", false;
        files[name] = std::string(bytes);
        p += 46 + nlen + xlen + clen;
    }
    return true;
}

} // namespace terrane
