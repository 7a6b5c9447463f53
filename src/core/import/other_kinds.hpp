// CRM files Terrane does not plan with - contacts, leads, users, cases, tasks and events,
// campaigns, summary reports - recognised from their header, so a whole export folder can be
// dropped and these files are skipped with a one-line reason instead of being read as accounts
// or opportunities.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace terrane {

struct OtherKind {
    bool recognised = false;
    std::string name;                  // "contacts", "leads", "users", "cases", "tasks and events", "campaigns", "a summary report"
    std::vector<std::string> evidence; // the headers that gave it away, in file order (up to 3)
    std::string why;                   // "Terrane does not plan with contacts"
};

// Recognises a header as a CRM object Terrane does not plan with. Person-like files (first and
// last name, email) count as contacts only when nothing marks them as a planning dataset (a reps
// file with names and emails is not skipped).
OtherKind recogniseOtherKind(const std::vector<std::string>& header);

// "Contact.csv: contacts (FirstName, LastName, Email, …) — Terrane does not plan with contacts; skipped"
std::string otherKindSkipLine(std::string_view fileName, const OtherKind& k);

} // namespace terrane
