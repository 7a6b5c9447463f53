// Number formatting for display (never for files): thousands separators, compact money.
#pragma once

#include "core/types.hpp"

#include <cstdint>
#include <string>

namespace terrane::fmt {

std::string count(std::uint64_t n);           // "12,345"
std::string money(Money m);                   // "$1,234,567"
std::string moneyCompact(Money m);            // "$1.2M", "$45.3K", "$980"
std::string percent(double fraction, int decimals = 1); // "12.5%"
std::string fixed(double v, int decimals);

} // namespace terrane::fmt
