#include "core/base/format.hpp"
#include "core/base/rng.hpp"
#include "core/base/types.hpp"
#include "core/data/values.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace terrane;

TEST_CASE("civil dates round-trip across eras and leap years") {
    CHECK(daysFromCivil(1970, 1, 1) == 0);
    CHECK(daysFromCivil(2000, 3, 1) - daysFromCivil(2000, 2, 28) == 2); // 2000 is a leap year
    CHECK(daysFromCivil(1900, 3, 1) - daysFromCivil(1900, 2, 28) == 1); // 1900 is not
    for (Date d = -800000; d < 800000; d += 997) {
        const Ymd v = civilFromDays(d);
        CHECK(daysFromCivil(v.year, v.month, v.day) == d);
    }
    CHECK(formatDate(daysFromCivil(2026, 10, 1)) == "2026-10-01");
    Date d = 0;
    CHECK(parseIsoDate("2024-02-29", d));
    CHECK_FALSE(parseIsoDate("2023-02-29", d));
    CHECK(formatDate(addMonths(daysFromCivil(2025, 1, 31), 1)) == "2025-02-28");
}

TEST_CASE("money formats exactly in minor units") {
    CHECK(formatMoney(0) == "0.00");
    CHECK(formatMoney(123456) == "1234.56");
    CHECK(formatMoney(-5) == "-0.05");
    CHECK(formatMoney(kMoneyNull).empty());
    CHECK(moneyFromMajor(12.345) == 1235);
}

TEST_CASE("deterministic elementary functions match libm closely") {
    for (double x = -20; x <= 20; x += 0.173) CHECK(detExp(x) == doctest::Approx(std::exp(x)).epsilon(1e-14));
    for (double x = 1e-6; x < 1e6; x *= 1.37) CHECK(detLog(x) == doctest::Approx(std::log(x)).epsilon(1e-14));
    for (double a = -720; a <= 720; a += 3.7) CHECK(detCosDeg(a) == doctest::Approx(std::cos(a * M_PI / 180)).epsilon(1e-13));
    CHECK(detLog(1.0) == 0.0);
    CHECK(detExp(0.0) == 1.0);
}

TEST_CASE("rng streams are reproducible and distributions have the right moments") {
    Rng a(7), b(7), c(8);
    for (int i = 0; i < 100; ++i) CHECK(a.next32() == b.next32());
    CHECK(Rng(7).next64() != c.next64());
    Rng r(123);
    double sum = 0, sum2 = 0;
    const int n = 200000;
    for (int i = 0; i < n; ++i) {
        const double x = r.normal();
        sum += x;
        sum2 += x * x;
    }
    CHECK(std::fabs(sum / n) < 0.01);
    CHECK(std::fabs(sum2 / n - 1.0) < 0.02);
    double ps = 0;
    for (int i = 0; i < n; ++i) ps += r.poisson(3.5);
    CHECK(ps / n == doctest::Approx(3.5).epsilon(0.01));
    std::uint32_t hist[5] = {};
    for (int i = 0; i < n; ++i) ++hist[r.below(5)];
    for (auto h : hist) CHECK(std::abs(static_cast<int>(h) - n / 5) < n / 50);
}

TEST_CASE("alias table samples in proportion to weights") {
    const double w[] = {1, 0, 3, 6};
    AliasTable t(w);
    Rng r(5);
    int counts[4] = {};
    for (int i = 0; i < 100000; ++i) ++counts[t.sample(r)];
    CHECK(counts[1] == 0);
    CHECK(counts[0] / 100000.0 == doctest::Approx(0.1).epsilon(0.05));
    CHECK(counts[3] / 100000.0 == doctest::Approx(0.6).epsilon(0.02));
}

TEST_CASE("value parsers read what CRM exports write") {
    Money m = 0;
    CHECK((parseMoneyText("$1,250.00", m) && m == 125000));
    CHECK((parseMoneyText("\xC2\xA3" "1,250.50", m) && m == 125050));
    CHECK((parseMoneyText("1.250,50 EUR", m) && m == 125050));
    CHECK((parseMoneyText("(1,234.50)", m) && m == -123450));
    CHECK((parseMoneyText("-$12", m) && m == -1200));
    CHECK((parseMoneyText("1.5k", m) && m == 150000));
    CHECK((parseMoneyText("2M", m) && m == 200000000));
    CHECK((parseMoneyText("0.005", m) && m == 1));
    CHECK_FALSE(parseMoneyText("abc", m));
    CHECK_FALSE(parseMoneyText("12%", m));
    double d = 0;
    CHECK((parseNumberText("12%", d) && d == doctest::Approx(0.12)));
    CHECK((parseNumberText("1 234,5", d) && d == doctest::Approx(1234.5)));
    CHECK_FALSE(parseNumberText("1,23,4", d));
    Date dt = 0;
    CHECK((parseDateText("03/04/2025", DateOrder::DMY, dt) && formatDate(dt) == "2025-04-03"));
    CHECK((parseDateText("03/04/2025", DateOrder::MDY, dt) && formatDate(dt) == "2025-03-04"));
    CHECK((parseDateText("25/12/2025", DateOrder::Auto, dt) && formatDate(dt) == "2025-12-25"));
    CHECK((parseDateText("2025-03-04T23:10:00-05:00", DateOrder::Auto, dt) && formatDate(dt) == "2025-03-04"));
    CHECK((parseDateText("4-Mar-2025", DateOrder::Auto, dt) && formatDate(dt) == "2025-03-04"));
    CHECK((parseDateText("March 4, 2025", DateOrder::Auto, dt) && formatDate(dt) == "2025-03-04"));
    CHECK((parseDateText("45000", DateOrder::Auto, dt) && formatDate(dt) == "2023-03-15"));
    CHECK_FALSE(parseDateText("31/02/2025", DateOrder::DMY, dt));
    bool b = false;
    CHECK((parseBoolText("Yes", b) && b));
    CHECK((parseBoolText("0", b) && !b));
    CHECK_FALSE(parseBoolText("maybe", b));
}

TEST_CASE("times and dates read as people write them, not ISO") {
    const std::int64_t ms = 1796565900000LL; // 2026-12-06T14:05:00Z
    CHECK(terrane::fmt::timeUtc(ms, false) == "6 Dec 2026, 14:05 UTC");
    CHECK(terrane::fmt::timeUtc(ms + 9000) == "6 Dec 2026, 14:05:09 UTC");
    CHECK(terrane::fmt::timeUtc(0, false) == "1 Jan 1970, 00:00 UTC");
    CHECK(terrane::fmt::date(terrane::daysFromCivil(2026, 3, 31)) == "31 Mar 2026");
    CHECK(terrane::fmt::date(terrane::kDateNull).empty());
    CHECK(terrane::fmt::isoTimestamp(ms) == "2026-12-06T14:05:00Z"); // files keep ISO
}
