// The one display-format module: how the page, the CLI's messages and the exports' text show
// counts, money, shares and times to a person (never the values written to data files, which
// keep full precision: core/base/types.hpp formatMoney, core/base/text.hpp formatDouble).
#pragma once

#include "core/base/types.hpp"

#include <cstdint>
#include <string>

namespace terrane::fmt {

std::string count(std::uint64_t n);           // "12,345"
std::string countOf(std::uint64_t n, const char* one, const char* many); // "1 account", "1204 accounts" (plain digits, as command descriptions)
std::string money(Money m);                   // "$1,234,567" (whole units, cents dropped)
std::string moneyExact(Money m);              // "$12,000,000" or "$1,234.50" (cents when not zero)
std::string moneyCompact(Money m);            // "$1.2M", "$45.3K", "$980"
std::string percent(double fraction, int decimals = 1); // "12.5%"
std::string fixed(double v, int decimals);
std::string compactNumber(double v);          // "1.25B", "3.40M", "45.2k", "980.00" (optimiser messages)
// Times and dates as people write them (not ISO): every time and date the page shows.
std::string timeUtc(std::int64_t unixMs, bool seconds = true); // "31 Mar 2026, 14:05:09 UTC" ("31 Mar 2026, 14:05 UTC")
std::string date(Date d);                     // "31 Mar 2026" ("" for no date)
std::string isoTimestamp(std::int64_t unixMs); // "2026-03-31T14:05:09Z" (files)

} // namespace terrane::fmt
