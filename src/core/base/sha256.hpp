// SHA-256 (FIPS 180-4), for recording source files and sealing scenario files.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace terrane {

class Sha256 {
  public:
    Sha256();
    void update(const void* data, std::size_t len);
    void update(std::string_view s) { update(s.data(), s.size()); }
    std::array<std::uint8_t, 32> digest();
    std::string hexDigest(); // lowercase hex

  private:
    void block(const std::uint8_t* p);
    std::uint32_t m_h[8];
    std::uint8_t m_buf[64];
    std::size_t m_bufLen = 0;
    std::uint64_t m_total = 0;
};

std::string sha256Hex(std::string_view data);

// Whether blocks are compressed with the CPU's SHA instructions (x86 SHA-NI) rather than the
// portable code; both give the same digest. Tests can force the portable code.
bool sha256UsesHardware();
void sha256ForcePortable(bool portable);

} // namespace terrane
