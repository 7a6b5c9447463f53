// Matching a file's header to canonical fields: the spellings Salesforce, HubSpot, Dynamics and
// hand-made exports use, the dataset kind a header suggests, and mappings the user confirmed
// (remembered by header signature so the same export maps itself next time).
#pragma once

#include "core/data/schema.hpp"
#include "core/data/values.hpp"
#include "core/import/stages.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace terrane {

// Lower-case ASCII letters and digits only: "Billing Postal Code" and "billing_postal-code" both
// become "billingpostalcode".
std::string normalizeHeader(std::string_view h);

// The normalised spellings of `field` in `kind`, most specific first (the field's own name is
// always first).
std::vector<std::string> fieldAliases(DatasetKind kind, std::string_view field);

// For each field of fieldsOf(kind), the header column it matches by alias, or -1. A column feeds
// at most one field; more specific aliases win.
std::vector<int> matchHeader(DatasetKind kind, const std::vector<std::string>& header);

struct KindGuess {
    DatasetKind kind = DatasetKind::Accounts;
    double score = 0;     // 0 when the header lacks a required field of the kind
    int distinctive = 0;  // matched fields that only this kind has
    std::string reason;   // one line for the report
};
// Every kind ranked by how well the header fits it, best first.
std::vector<KindGuess> guessKinds(const std::vector<std::string>& header);
// True when the best guess clearly beats the runner-up (at least two distinctive fields, or
// the stage-history pattern, and 1.5 times the next score).
bool kindGuessConfident(const std::vector<KindGuess>& ranked);

// A stable signature of a header: hex of the SHA-256 of its normalised column names in order.
std::string headerSignature(const std::vector<std::string>& header);

// A mapping the user confirmed for one header signature.
struct RememberedMapping {
    std::string signature;
    DatasetKind kind = DatasetKind::Accounts;
    std::vector<std::pair<std::string, std::string>> fields; // field -> header ("" = not mapped)
    DateOrder dateOrder = DateOrder::Auto;
    std::vector<std::string> header; // for display
    std::vector<StageRow> stages;    // opportunities: the user's meaning of stages
};

class MappingMemory {
  public:
    const RememberedMapping* find(std::string_view signature) const;
    // Adds or replaces the entry with the same signature.
    void remember(RememberedMapping m);
    void forget(std::string_view signature);
    const std::vector<RememberedMapping>& entries() const { return m_entries; }
    // JSON text that fromJson reads back (the app stores it in the browser).
    std::string toJson() const;
    // Replaces the contents from JSON; false with `error` on malformed input (contents unchanged).
    bool fromJson(std::string_view text, std::string& error);

  private:
    std::vector<RememberedMapping> m_entries;
};

} // namespace terrane
