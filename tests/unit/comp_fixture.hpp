// Commission test inputs built by hand: money in major units, a rep with quota and target
// incentive, a won deal. Shared by the payout and the cost simulation tests.
#pragma once

#include "core/comp/payout.hpp"

#include <string>

namespace fixture {

inline terrane::Money dollars(double major) { return terrane::moneyFromMajor(major); }

inline terrane::comp::RepInput rep(const char* id, double quota, double ti) {
    terrane::comp::RepInput r;
    r.repId = id;
    r.name = std::string("Rep ") + id;
    r.quota = dollars(quota);
    r.targetIncentive = dollars(ti);
    r.hasQuota = r.quota > 0;
    return r;
}

inline terrane::comp::Deal deal(const char* id, const char* owner, double amount, terrane::Date date, const char* product = "Core",
                                terrane::Date cancel = terrane::kDateNull) {
    terrane::comp::Deal d;
    d.id = id;
    d.owner = owner;
    d.measure = dollars(amount);
    d.date = date;
    d.product = product;
    d.cancelDate = cancel;
    return d;
}

} // namespace fixture
