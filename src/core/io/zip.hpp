// ZIP archives without compression (method 0, "stored"), with CRC-32: what XLSX workbooks need.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace terrane {

// CRC-32 (IEEE 802.3, as ZIP and PNG use).
std::uint32_t crc32(std::string_view data, std::uint32_t crc = 0);

// Writes a stored ZIP of `files` (name, bytes) in the given order; fixed timestamps (1980-01-01)
// so the same content gives the same bytes.
std::string writeStoredZip(const std::vector<std::pair<std::string, std::string>>& files);

// Reads a stored ZIP (central directory, local headers, CRC checked). Returns false with `error`
// for anything else (compressed entries, bad CRC, truncation).
bool readStoredZip(std::string_view zip, std::map<std::string, std::string>& files, std::string& error);

} // namespace terrane
