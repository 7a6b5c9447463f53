#include "core/import/hygiene.hpp"

#include "core/geo/geocode.hpp"
#include "core/io/csv.hpp"
#include "core/base/text.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>
#include <unordered_set>

namespace terrane {

// Index
//  [SECTION] helpers
//  [SECTION] identity      duplicate ids, probable duplicate accounts
//  [SECTION] references    unknown accounts and owners
//  [SECTION] spellings
//  [SECTION] pipeline      past close dates, late-stage deals, amounts
//  [SECTION] outliers
//  [SECTION] location
//  [SECTION] completeness
//  [SECTION] job and JSON
//  [SECTION] actions

const char* findingSeverityName(FindingSeverity s) {
    switch (s) {
    case FindingSeverity::Info: return "info";
    case FindingSeverity::Warning: return "warning";
    case FindingSeverity::Error: return "error";
    }
    return "info";
}

const Finding* HygieneReport::find(std::string_view id) const {
    for (const Finding& f : findings)
        if (f.id == id) return &f;
    return nullptr;
}

std::size_t HygieneReport::problems() const {
    std::size_t n = 0;
    for (const Finding& f : findings) n += f.count > 0 ? 1 : 0;
    return n;
}

// [SECTION] helpers
namespace {

std::uint64_t hashText(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h ^ (h >> 29);
}

const Column* textColumn(const Table& t, std::string_view name) {
    const Column* c = t.find(name);
    return c && c->type() == ColumnType::String ? c : nullptr;
}

Finding makeFinding(std::string id, std::string title, DatasetKind kind, FindingSeverity sev, std::string basis) {
    Finding f;
    f.id = std::move(id);
    f.title = std::move(title);
    f.dataset = kind;
    f.severity = sev;
    f.basis = std::move(basis);
    return f;
}

void skip(Finding& f, std::string why) {
    f.checked = false;
    f.skipped = std::move(why);
}

// The accounts of opportunity (or other) rows that carry an account_id, deduplicated.
std::vector<std::uint32_t> accountsOf(const Workspace& ws, DatasetKind kind, const std::vector<std::uint32_t>& rows) {
    const Table& t = ws.table(kind);
    const Column* acc = textColumn(t, "account_id");
    std::vector<std::uint32_t> out;
    if (!acc) return out;
    for (std::uint32_t r : rows)
        if (auto a = ws.accounts().rowOfStringId(acc->ids()[r])) out.push_back(static_cast<std::uint32_t>(*a));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

void finish(Finding& f) { f.count = f.rows.size(); }

bool isOpen(const Table& opp, std::size_t r, int closedCol) { return !opp.flag(closedCol, r); }

// The probability of an open deal: its own, else the standard stage's.
double dealProbability(const Table& opp, std::size_t r, int probCol, const Column* stage) {
    const double p = opp.f64(probCol, r);
    if (!std::isnan(p)) return p;
    if (!stage) return std::nan("");
    const std::string_view s = opp.pool().view(stage->ids()[r]);
    for (const StageSpec& st : standardStages())
        if (equalsIgnoreCase(st.name, s)) return st.probability;
    return std::nan("");
}

bool isLateStage(const Table& opp, std::size_t r, int probCol, const Column* stage, const Column* category, double threshold) {
    const double p = dealProbability(opp, r, probCol, stage);
    if (!std::isnan(p) && p >= threshold) return true;
    if (category) {
        const std::string_view c = opp.pool().view(category->ids()[r]);
        if (equalsIgnoreCase(c, "Commit") || equalsIgnoreCase(c, "Best Case")) return true;
    }
    return false;
}

// [SECTION] identity
void checkDuplicateIds(const Workspace& ws, HygieneReport& rep) {
    for (DatasetKind kind : {DatasetKind::Accounts, DatasetKind::Reps, DatasetKind::Territories, DatasetKind::Opportunities, DatasetKind::Products}) {
        const Table& t = ws.table(kind);
        const std::string idField(idFieldOf(kind));
        Finding f = makeFinding("duplicate_ids_" + std::string(datasetKindName(kind)), "Duplicate " + idField + " values", kind,
                                FindingSeverity::Error, "Rows whose " + idField + " also appears on another row (all copies listed, grouped).");
        f.column = idField;
        if (t.rows() == 0) {
            skip(f, std::string("no ") + datasetKindName(kind) + " loaded");
        } else if (const Column* id = textColumn(t, idField); id && t.duplicateIds() > 0) {
            std::unordered_map<std::uint32_t, std::uint32_t> count;
            for (std::size_t r = 0; r < t.rows(); ++r)
                if (id->ids()[r]) ++count[id->ids()[r]];
            std::unordered_map<std::uint32_t, std::uint32_t> group;
            std::vector<std::pair<std::uint32_t, std::uint32_t>> rows; // group, row
            for (std::size_t r = 0; r < t.rows(); ++r) {
                const std::uint32_t v = id->ids()[r];
                if (!v || count[v] < 2) continue;
                auto [it, fresh] = group.try_emplace(v, static_cast<std::uint32_t>(group.size()));
                rows.emplace_back(it->second, static_cast<std::uint32_t>(r));
            }
            std::stable_sort(rows.begin(), rows.end());
            for (auto [g, r] : rows) f.rows.push_back(r), f.groups.push_back(g);
        }
        finish(f);
        if (kind == DatasetKind::Accounts) f.accountRows = f.rows;
        else if (kind == DatasetKind::Opportunities) f.accountRows = accountsOf(ws, kind, f.rows);
        rep.findings.push_back(std::move(f));
    }
}

std::string normPostcode(std::string_view s) {
    std::string r;
    for (char c : s) {
        if (c >= 'a' && c <= 'z') r += static_cast<char>(c - 'a' + 'A');
        else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) r += c;
    }
    // ZIP+4 and lost leading zeros compare as the 5-digit ZIP.
    if (r.size() == 9 && std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; })) r.resize(5);
    if ((r.size() == 4 || r.size() == 3) && std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; }))
        r.insert(0, 5 - r.size(), '0');
    return r;
}

} // namespace

std::string normalizeCompanyName(std::string_view name) {
    // Tokens of lower-case letters and digits; accents folded; "&" -> "and".
    static constexpr char kFold[] = "aaaaaaaceeeeiiiidnooooo ouuuuytsaaaaaaaceeeeiiiidnooooo ouuuuyty";
    std::vector<std::string> tok(1);
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (c >= 'A' && c <= 'Z') tok.back() += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) tok.back() += static_cast<char>(c);
        else if (c == '&') {
            tok.emplace_back("and");
            tok.emplace_back();
        } else if (c == '\'') {
            continue;
        } else if (c == 0xC3 && i + 1 < name.size() && static_cast<unsigned char>(name[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(name[i + 1]) <= 0xBF) {
            const char f = kFold[static_cast<unsigned char>(name[++i]) - 0x80];
            if (f == ' ') tok.emplace_back();
            else tok.back() += f;
        } else if (tok.back().size()) {
            tok.emplace_back();
        }
    }
    std::erase_if(tok, [](const std::string& t) { return t.empty(); });
    static const std::unordered_set<std::string> kLegal = {
        "ltd", "limited", "inc", "incorporated", "llc", "llp", "lp", "corp", "corporation", "co", "company", "plc", "gmbh", "ag", "sa",
        "sas", "sarl", "bv", "nv", "pty", "pte", "srl", "spa", "oy", "ab", "kk", "holdings", "group", "the"};
    while (tok.size() > 1 && kLegal.count(tok.back())) tok.pop_back();
    if (tok.size() > 1 && tok.front() == "the") tok.erase(tok.begin());
    std::string r;
    for (const auto& t : tok) r += t;
    return r;
}

namespace {

// Probable duplicates: same normalised name and same postcode (or city + state when there is
// no postcode), but not the same id. Hashing is sliced; grouping runs once at the end.
struct DuplicateNames {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keys; // (key hash, row)
    std::size_t next = 0;
    bool start(const Workspace& ws, Finding& f) {
        const Table& acc = ws.accounts();
        f = makeFinding("probable_duplicate_accounts", "Probable duplicate accounts", DatasetKind::Accounts, FindingSeverity::Warning,
                        "Accounts with different ids whose names match once case, punctuation and legal suffixes (Ltd, Inc, LLC, Corp...) "
                        "are removed, at the same postcode (or the same city and state when there is no postcode).");
        f.column = "name";
        if (acc.rows() == 0) {
            skip(f, "no accounts loaded");
            return false;
        }
        if (!textColumn(acc, "name")) {
            skip(f, "the accounts have no name column");
            return false;
        }
        keys.reserve(acc.rows());
        return true;
    }
    // Hashes rows [next, next + n); true when all rows are done.
    bool hash(const Workspace& ws, std::size_t n) {
        const Table& acc = ws.accounts();
        const Column* name = textColumn(acc, "name");
        const Column* pc = textColumn(acc, "postcode");
        const Column* city = textColumn(acc, "city");
        const Column* state = textColumn(acc, "state");
        const StringPool& pool = acc.pool();
        const std::size_t end = std::min(acc.rows(), next + n);
        for (std::size_t r = next; r < end; ++r) {
            const std::string nm = normalizeCompanyName(pool.view(name->ids()[r]));
            if (nm.empty()) continue;
            std::string loc = pc ? normPostcode(pool.view(pc->ids()[r])) : std::string();
            if (loc.empty() && city && city->ids()[r]) {
                loc = "c:" + toLower(trim(pool.view(city->ids()[r])));
                if (state) loc += "|" + toLower(trim(pool.view(state->ids()[r])));
            }
            if (loc.empty()) continue;
            keys.emplace_back(hashText(nm) * 31 + hashText(loc), static_cast<std::uint32_t>(r));
        }
        next = end;
        return next >= acc.rows();
    }
    void group(const Workspace& ws, Finding& f) {
        const Table& acc = ws.accounts();
        const Column* id = textColumn(acc, "account_id");
        std::sort(keys.begin(), keys.end());
        std::uint32_t g = 0;
        for (std::size_t i = 0; i < keys.size();) {
            std::size_t j = i + 1;
            while (j < keys.size() && keys[j].first == keys[i].first) ++j;
            bool distinctIds = false;
            for (std::size_t k = i + 1; k < j && id; ++k) distinctIds |= id->ids()[keys[k].second] != id->ids()[keys[i].second];
            if (j - i >= 2 && (distinctIds || !id)) {
                for (std::size_t k = i; k < j; ++k) f.rows.push_back(keys[k].second), f.groups.push_back(g);
                ++g;
            }
            i = j;
        }
        keys = {};
        finish(f);
        f.accountRows = f.rows;
        std::sort(f.accountRows.begin(), f.accountRows.end());
    }
};

// [SECTION] references
void checkReferences(const Workspace& ws, HygieneReport& rep) {
    const Table& opp = ws.opportunities();
    const Table& acc = ws.accounts();
    const Table& reps = ws.reps();
    {
        Finding f = makeFinding("unknown_account", "Opportunities with an unknown account", DatasetKind::Opportunities, FindingSeverity::Error,
                                "Opportunities whose account_id is empty or not among the loaded accounts.");
        f.column = "account_id";
        const Column* a = textColumn(opp, "account_id");
        if (opp.rows() == 0) skip(f, "no opportunities loaded");
        else if (acc.rows() == 0) skip(f, "no accounts loaded to check against");
        else if (!a || !ws.suppliedField(DatasetKind::Opportunities, "account_id")) skip(f, "the opportunities file has no account column");
        else
            for (std::size_t r = 0; r < opp.rows(); ++r)
                if (!acc.rowOfStringId(a->ids()[r])) f.rows.push_back(static_cast<std::uint32_t>(r));
        finish(f);
        rep.findings.push_back(std::move(f));
    }
    auto ownerCheck = [&](DatasetKind kind, std::string id, std::string title) {
        const Table& t = ws.table(kind);
        Finding f = makeFinding(std::move(id), std::move(title), kind, FindingSeverity::Warning,
                                std::string("Rows whose owner is not a rep_id (or rep name) in the loaded reps; empty owners are not counted."));
        f.column = "owner";
        const Column* o = textColumn(t, "owner");
        if (t.rows() == 0) skip(f, std::string("no ") + datasetKindName(kind) + " loaded");
        else if (reps.rows() == 0) skip(f, "no reps loaded to check against");
        else if (!o || !ws.suppliedField(kind, "owner")) skip(f, std::string("the ") + datasetKindName(kind) + " file has no owner column");
        else {
            std::unordered_set<std::uint32_t> names;
            if (const Column* n = textColumn(reps, "name"))
                for (std::size_t r = 0; r < reps.rows(); ++r) names.insert(n->ids()[r]);
            for (std::size_t r = 0; r < t.rows(); ++r) {
                const std::uint32_t v = o->ids()[r];
                if (v && !reps.rowOfStringId(v) && !names.count(v)) f.rows.push_back(static_cast<std::uint32_t>(r));
            }
        }
        finish(f);
        f.accountRows = kind == DatasetKind::Accounts ? f.rows : accountsOf(ws, kind, f.rows);
        rep.findings.push_back(std::move(f));
    };
    ownerCheck(DatasetKind::Opportunities, "unknown_opportunity_owner", "Opportunities with an unknown owner");
    ownerCheck(DatasetKind::Accounts, "unknown_account_owner", "Accounts with an unknown owner");
    {
        const Table& h = ws.table(DatasetKind::StageHistory);
        Finding f = makeFinding("unknown_history_opportunity", "Stage history of unknown opportunities", DatasetKind::StageHistory,
                                FindingSeverity::Warning, "Stage-history rows whose opportunity_id is not among the loaded opportunities.");
        f.column = "opportunity_id";
        const Column* o = textColumn(h, "opportunity_id");
        if (h.rows() == 0) skip(f, "no stage history loaded");
        else if (opp.rows() == 0) skip(f, "no opportunities loaded to check against");
        else
            for (std::size_t r = 0; r < h.rows(); ++r)
                if (!opp.rowOfStringId(o->ids()[r])) f.rows.push_back(static_cast<std::uint32_t>(r));
        finish(f);
        rep.findings.push_back(std::move(f));
    }
}

// [SECTION] spellings
std::string spellingKey(std::string_view s) {
    std::string k;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == ' ' || c == '\t') continue;
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
            ++i;
            continue;
        }
        k += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c);
    }
    return k;
}

void checkSpellings(const Workspace& ws, DatasetKind kind, const char* column, HygieneReport& rep) {
    const Table& t = ws.table(kind);
    Finding f = makeFinding(std::string("spelling_") + datasetKindName(kind) + "_" + column,
                            std::string("Variant spellings of ") + datasetKindName(kind) + " " + column, kind, FindingSeverity::Warning,
                            std::string("Values of ") + column +
                                " that differ from another value only by upper/lower case or spacing (e.g. 'GTXPro' and 'GTX Pro'); "
                                "merging keeps the known or most frequent spelling.");
    f.column = column;
    const Column* c = textColumn(t, column);
    if (t.rows() == 0) {
        skip(f, std::string("no ") + datasetKindName(kind) + " loaded");
    } else if (!c || !ws.suppliedField(kind, column)) {
        skip(f, std::string("the ") + datasetKindName(kind) + " file has no " + column + " column");
    } else {
        std::unordered_map<std::uint32_t, std::uint64_t> count;
        std::vector<std::uint32_t> order;
        for (std::size_t r = 0; r < t.rows(); ++r) {
            const std::uint32_t v = c->ids()[r];
            if (!v) continue;
            if (count[v]++ == 0) order.push_back(v);
        }
        const StringPool& pool = t.pool();
        std::unordered_map<std::string, std::vector<std::uint32_t>> groups;
        std::vector<std::string> keyOrder;
        for (std::uint32_t v : order) {
            auto& g = groups[spellingKey(pool.view(v))];
            if (g.empty()) keyOrder.push_back(spellingKey(pool.view(v)));
            g.push_back(v);
        }
        const std::string_view col(column);
        std::unordered_set<std::uint32_t> variantIds;
        for (const auto& key : keyOrder) {
            const auto& g = groups[key];
            if (g.size() < 2) continue;
            // The spelling to keep: a standard stage or a rep id when it is one, else the most frequent.
            std::uint32_t keep = g[0];
            bool known = false;
            for (std::uint32_t v : g) {
                const std::string_view s = pool.view(v);
                bool isKnown = false;
                if (col == "stage")
                    for (const StageSpec& st : standardStages()) isKnown |= st.name == s;
                if (col == "owner") isKnown = ws.reps().rowOfStringId(v).has_value();
                if (isKnown && !known) keep = v, known = true;
                else if (!known && count[v] > count[keep]) keep = v;
            }
            SpellingGroup sg;
            sg.canonical = std::string(pool.view(keep));
            for (std::uint32_t v : g) {
                if (v == keep) continue;
                sg.variants.emplace_back(pool.view(v));
                sg.cells += count[v];
                variantIds.insert(v);
            }
            f.spellings.push_back(std::move(sg));
        }
        for (std::size_t r = 0; r < t.rows(); ++r)
            if (variantIds.count(c->ids()[r])) f.rows.push_back(static_cast<std::uint32_t>(r));
    }
    finish(f);
    f.accountRows = kind == DatasetKind::Accounts ? f.rows : accountsOf(ws, kind, f.rows);
    rep.findings.push_back(std::move(f));
}

// Product names compared across the catalogue and the deals: lower case, letters and digits only
// ("ProSuite", "Pro Suite" and "pro-suite" are one product).
std::string productKey(std::string_view s) {
    std::string k;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 'A' && c <= 'Z') k += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) k += static_cast<char>(c);
    }
    return k;
}

// Two findings over one grouping: product rows whose name is another spelling of a catalogue
// product, and opportunities whose product is a spelling of a catalogue name. The spelling kept
// is the catalogue's (its most frequent there, then in the deals).
void checkProductNames(const Workspace& ws, HygieneReport& rep) {
    const Table& prod = ws.table(DatasetKind::Products);
    const Table& opp = ws.opportunities();
    const std::string basis =
        "Product names that are the same once case, spaces and punctuation are ignored ('ProSuite', 'Pro Suite', 'pro-suite'); "
        "merging rewrites them to the product catalogue's spelling, in products and in opportunities.";
    Finding inProducts = makeFinding("product_names_products", "Variant spellings of product names", DatasetKind::Products,
                                     FindingSeverity::Warning, basis);
    inProducts.column = "name";
    Finding inDeals = makeFinding("product_names_opportunities", "Opportunity products spelled unlike the catalogue",
                                  DatasetKind::Opportunities, FindingSeverity::Warning, basis);
    inDeals.column = "product";
    const Column* pn = textColumn(prod, "name");
    const Column* op = opp.rows() && ws.suppliedField(DatasetKind::Opportunities, "product") ? textColumn(opp, "product") : nullptr;
    if (prod.rows() == 0 || !pn) {
        skip(inProducts, "no products loaded");
        skip(inDeals, "no products loaded to check against");
    } else {
        if (!op) skip(inDeals, opp.rows() ? "the opportunities file has no product column" : "no opportunities loaded");
        struct Spelling {
            std::uint32_t id;
            std::uint64_t inCatalogue = 0, inDeals = 0;
        };
        std::unordered_map<std::string, std::vector<Spelling>> groups;
        std::vector<std::string> order;
        auto note = [&](std::uint32_t v, bool catalogue) {
            if (!v) return;
            const std::string key = productKey(prod.pool().view(v));
            if (key.empty()) return;
            auto& g = groups[key];
            if (g.empty()) order.push_back(key);
            auto it = std::find_if(g.begin(), g.end(), [&](const Spelling& x) { return x.id == v; });
            if (it == g.end()) it = g.insert(g.end(), Spelling{v});
            ++(catalogue ? it->inCatalogue : it->inDeals);
        };
        for (std::size_t r = 0; r < prod.rows(); ++r) note(pn->ids()[r], true);
        if (op)
            for (std::size_t r = 0; r < opp.rows(); ++r) note(op->ids()[r], false);
        std::unordered_set<std::uint32_t> variants;
        for (const auto& key : order) {
            const auto& g = groups[key];
            const bool catalogued = std::any_of(g.begin(), g.end(), [](const Spelling& x) { return x.inCatalogue > 0; });
            if (g.size() < 2 || !catalogued) continue; // deals alone: the opportunities' product spelling check
            const Spelling* keep = &g.front();
            for (const Spelling& x : g)
                if (x.inCatalogue > keep->inCatalogue || (x.inCatalogue == keep->inCatalogue && x.inDeals > keep->inDeals)) keep = &x;
            // A merge rewrites every other spelling of the group, in both datasets.
            SpellingGroup merge;
            merge.canonical = std::string(prod.pool().view(keep->id));
            std::uint64_t catalogueCells = 0, dealCells = 0;
            for (const Spelling& x : g) {
                if (&x == keep) continue;
                variants.insert(x.id);
                merge.variants.emplace_back(prod.pool().view(x.id));
                catalogueCells += x.inCatalogue;
                dealCells += x.inDeals;
            }
            if (catalogueCells) inProducts.spellings.push_back({merge.canonical, merge.variants, catalogueCells});
            if (dealCells) inDeals.spellings.push_back({merge.canonical, merge.variants, dealCells});
        }
        for (std::size_t r = 0; r < prod.rows(); ++r)
            if (variants.count(pn->ids()[r])) inProducts.rows.push_back(static_cast<std::uint32_t>(r));
        if (op)
            for (std::size_t r = 0; r < opp.rows(); ++r)
                if (variants.count(op->ids()[r])) inDeals.rows.push_back(static_cast<std::uint32_t>(r));
    }
    finish(inProducts);
    finish(inDeals);
    inDeals.accountRows = accountsOf(ws, DatasetKind::Opportunities, inDeals.rows);
    rep.findings.push_back(std::move(inProducts));
    rep.findings.push_back(std::move(inDeals));
}

// [SECTION] pipeline
void checkPipeline(const Workspace& ws, const HygieneOptions& opt, HygieneReport& rep) {
    const Table& opp = ws.opportunities();
    const int closed = opp.indexOf("is_closed"), close = opp.indexOf("close_date"), prob = opp.indexOf("probability");
    const int amount = opp.indexOf("amount"), activity = opp.indexOf("last_activity_date");
    const Column* stage = textColumn(opp, "stage");
    const Column* category = textColumn(opp, "forecast_category");
    const Column* next = textColumn(opp, "next_step");
    const bool none = opp.rows() == 0;
    auto push = [&](Finding f) {
        finish(f);
        f.accountRows = accountsOf(ws, DatasetKind::Opportunities, f.rows);
        rep.findings.push_back(std::move(f));
    };
    {
        Finding f = makeFinding("past_close_date", "Open deals with a close date in the past", DatasetKind::Opportunities,
                                FindingSeverity::Warning, "Open opportunities (not closed) whose close_date is before " + formatDate(opt.asOf) + ".");
        f.column = "close_date";
        if (none) skip(f, "no opportunities loaded");
        else if (!ws.suppliedField(DatasetKind::Opportunities, "close_date")) skip(f, "the opportunities file has no close-date column");
        else
            for (std::size_t r = 0; r < opp.rows(); ++r) {
                const std::int64_t d = opp.i64(close, r);
                if (isOpen(opp, r, closed) && d != kI64Null && d < opt.asOf) f.rows.push_back(static_cast<std::uint32_t>(r));
            }
        push(std::move(f));
    }
    const std::string late = "open deals at " + formatFixed(opt.lateStageProbability * 100, 0) +
                             "% probability or more (their own, else the standard stage's) or in Commit / Best Case";
    {
        Finding f = makeFinding("late_stage_no_next_step", "Late-stage deals with no next step", DatasetKind::Opportunities,
                                FindingSeverity::Warning, "Late-stage deals (" + late + ") whose next_step is empty.");
        f.column = "next_step";
        if (none) skip(f, "no opportunities loaded");
        else if (!next || !ws.suppliedField(DatasetKind::Opportunities, "next_step")) skip(f, "the opportunities file has no next-step column");
        else
            for (std::size_t r = 0; r < opp.rows(); ++r)
                if (isOpen(opp, r, closed) && isLateStage(opp, r, prob, stage, category, opt.lateStageProbability) && next->ids()[r] == 0)
                    f.rows.push_back(static_cast<std::uint32_t>(r));
        push(std::move(f));
    }
    {
        Finding f = makeFinding("late_stage_stale", "Late-stage deals with no recent activity", DatasetKind::Opportunities,
                                FindingSeverity::Warning,
                                "Late-stage deals (" + late + ") with no activity in the " + std::to_string(opt.staleDays) + " days before " +
                                    formatDate(opt.asOf) + " (last_activity_date older or empty).");
        f.column = "last_activity_date";
        if (none) skip(f, "no opportunities loaded");
        else if (activity < 0 || !ws.suppliedField(DatasetKind::Opportunities, "last_activity_date"))
            skip(f, "the opportunities file has no last-activity column");
        else
            for (std::size_t r = 0; r < opp.rows(); ++r) {
                if (!isOpen(opp, r, closed) || !isLateStage(opp, r, prob, stage, category, opt.lateStageProbability)) continue;
                const std::int64_t d = opp.i64(activity, r);
                if (d == kI64Null || opt.asOf - d > opt.staleDays) f.rows.push_back(static_cast<std::uint32_t>(r));
            }
        push(std::move(f));
    }
    {
        Finding f = makeFinding("non_positive_amount", "Zero or negative amounts", DatasetKind::Opportunities, FindingSeverity::Warning,
                                "Opportunities whose amount is 0 or below.");
        f.column = "amount";
        if (none) skip(f, "no opportunities loaded");
        else
            for (std::size_t r = 0; r < opp.rows(); ++r) {
                const std::int64_t a = opp.i64(amount, r);
                if (a != kI64Null && a <= 0) f.rows.push_back(static_cast<std::uint32_t>(r));
            }
        push(std::move(f));
    }
    {
        Finding f = makeFinding("missing_amount", "Open deals with no amount", DatasetKind::Opportunities, FindingSeverity::Warning,
                                "Open opportunities with an empty amount (they add nothing to pipeline or forecast).");
        f.column = "amount";
        if (none) skip(f, "no opportunities loaded");
        else
            for (std::size_t r = 0; r < opp.rows(); ++r)
                if (isOpen(opp, r, closed) && opp.i64(amount, r) == kI64Null) f.rows.push_back(static_cast<std::uint32_t>(r));
        push(std::move(f));
    }
}

// [SECTION] outliers
void checkOutliers(const Workspace& ws, DatasetKind kind, const char* column, const HygieneOptions& opt, HygieneReport& rep) {
    const Table& t = ws.table(kind);
    Finding f = makeFinding(std::string("outlier_") + datasetKindName(kind) + "_" + column,
                            std::string("Extreme ") + column + " values in " + datasetKindName(kind), kind, FindingSeverity::Info,
                            std::string("Positive ") + column + " values whose log10 lies more than " + formatFixed(opt.outlierZ, 1) +
                                " robust standard deviations (modified z-score: 0.6745 x deviation / median absolute deviation) from the median.");
    f.column = column;
    const int c = t.indexOf(column);
    std::vector<double> logs;
    std::vector<std::uint32_t> rowsOf;
    if (c >= 0) {
        for (std::size_t r = 0; r < t.rows(); ++r) {
            const double v = t.f64(c, r);
            if (!std::isnan(v) && v > 0) logs.push_back(std::log10(v)), rowsOf.push_back(static_cast<std::uint32_t>(r));
        }
    }
    if (t.rows() == 0) {
        skip(f, std::string("no ") + datasetKindName(kind) + " loaded");
    } else if (logs.size() < 20) {
        skip(f, "fewer than 20 positive values");
    } else {
        std::vector<double> tmp = logs;
        auto mid = tmp.begin() + static_cast<std::ptrdiff_t>(tmp.size() / 2);
        std::nth_element(tmp.begin(), mid, tmp.end());
        const double median = *mid;
        for (std::size_t i = 0; i < tmp.size(); ++i) tmp[i] = std::fabs(logs[i] - median);
        mid = tmp.begin() + static_cast<std::ptrdiff_t>(tmp.size() / 2);
        std::nth_element(tmp.begin(), mid, tmp.end());
        const double mad = *mid;
        if (mad <= 0) skip(f, "more than half of the values are equal");
        else
            for (std::size_t i = 0; i < logs.size(); ++i)
                if (0.6745 * std::fabs(logs[i] - median) / mad > opt.outlierZ) f.rows.push_back(rowsOf[i]);
    }
    finish(f);
    f.accountRows = kind == DatasetKind::Accounts ? f.rows : accountsOf(ws, kind, f.rows);
    rep.findings.push_back(std::move(f));
}

// [SECTION] location
void checkLocation(const Workspace& ws, HygieneReport& rep) {
    const Table& acc = ws.accounts();
    Finding none = makeFinding("no_location", "Accounts with no location", DatasetKind::Accounts, FindingSeverity::Error,
                               "Accounts that could not be placed: no coordinates, and no postcode, city, region or country the built-in "
                               "gazetteer knows.");
    Finding rough = makeFinding("coarse_location", "Accounts placed only by region or country", DatasetKind::Accounts, FindingSeverity::Info,
                                "Accounts drawn at a state, province or country centre because the file has no usable postcode or city.");
    Finding conflict = makeFinding("location_conflict", "Postcode disagrees with city or state", DatasetKind::Accounts,
                                   FindingSeverity::Warning,
                                   "Accounts placed by postcode whose city is more than 60 km away or whose state differs from the postcode's.");
    if (acc.rows() == 0) {
        skip(none, "no accounts loaded");
        skip(rough, "no accounts loaded");
        skip(conflict, "no accounts loaded");
    } else {
        const Column* prec = textColumn(acc, kGeoPrecisionColumn);
        std::array<std::uint32_t, kGeoPrecisionCount> ids{};
        for (int i = 0; i < kGeoPrecisionCount; ++i) {
            auto id = acc.pool().find(geoPrecisionName(static_cast<GeoPrecision>(i)));
            ids[static_cast<std::size_t>(i)] = id ? *id : 0xFFFFFFFFu;
        }
        const Column* pc = textColumn(acc, "postcode");
        const Column* city = textColumn(acc, "city");
        const Column* state = textColumn(acc, "state");
        const Column* country = textColumn(acc, "country");
        std::unordered_map<std::uint64_t, bool> memo;
        const StringPool& pool = acc.pool();
        for (std::size_t r = 0; r < acc.rows(); ++r) {
            GeoPrecision p;
            if (prec) {
                const std::uint32_t v = prec->ids()[r];
                p = v == ids[0] ? GeoPrecision::None : v == ids[1] ? GeoPrecision::Country : v == ids[2] ? GeoPrecision::Region
                  : v == ids[3] ? GeoPrecision::City : v == ids[4] ? GeoPrecision::Postcode : accountPrecision(acc, r);
            } else {
                p = accountPrecision(acc, r);
            }
            if (p == GeoPrecision::None) none.rows.push_back(static_cast<std::uint32_t>(r));
            if (p == GeoPrecision::Country || p == GeoPrecision::Region) rough.rows.push_back(static_cast<std::uint32_t>(r));
            if (p == GeoPrecision::Postcode && city && city->ids()[r]) {
                const std::uint32_t a = pc ? pc->ids()[r] : 0, b = city->ids()[r], c = state ? state->ids()[r] : 0, d = country ? country->ids()[r] : 0;
                const std::uint64_t key = (static_cast<std::uint64_t>(a) * 0x9E3779B97F4A7C15ull) ^ (static_cast<std::uint64_t>(b) * 0xC2B2AE3D27D4EB4Full) ^
                                          (static_cast<std::uint64_t>(c) * 0x165667B19E3779F9ull) ^ (static_cast<std::uint64_t>(d) * 0x27D4EB2F165667C5ull);
                auto it = memo.find(key);
                if (it == memo.end()) {
                    GeoQuery q;
                    q.postcode = pool.view(a);
                    q.city = pool.view(b);
                    q.state = pool.view(c);
                    q.country = pool.view(d);
                    it = memo.emplace(key, Geocoder::builtIn().locate(q).conflict).first;
                }
                if (it->second) conflict.rows.push_back(static_cast<std::uint32_t>(r));
            }
        }
    }
    for (Finding* f : {&none, &rough, &conflict}) {
        finish(*f);
        f->accountRows = f->rows;
        rep.findings.push_back(std::move(*f));
    }
}

// [SECTION] completeness
void checkCompleteness(const Workspace& ws, HygieneReport& rep) {
    struct Key {
        DatasetKind kind;
        std::vector<std::vector<const char*>> fields; // each entry: any of these columns counts
    };
    const Key keys[] = {
        {DatasetKind::Accounts, {{"name"}, {"postcode", "city"}, {"country", "state"}, {"industry"}, {"employees"}, {"revenue"}, {"owner"}}},
        {DatasetKind::Reps, {{"name"}, {"role"}, {"manager"}, {"region"}, {"start_date"}, {"home_city", "home_lat"}}},
        {DatasetKind::Territories, {{"name"}, {"level"}, {"parent_id"}, {"owner"}}},
        {DatasetKind::Opportunities,
         {{"account_id"}, {"owner"}, {"stage"}, {"amount"}, {"close_date"}, {"created_date"}, {"probability", "forecast_category"}, {"last_activity_date"}}},
        {DatasetKind::StageHistory, {{"opportunity_id"}, {"stage"}, {"date"}}},
        {DatasetKind::Bookings, {{"date"}, {"amount"}, {"rep_id", "territory"}}},
        {DatasetKind::Products, {{"name"}, {"family"}, {"list_price"}, {"product_code", "product_id"}}},
    };
    for (const Key& k : keys) {
        const Table& t = ws.table(k.kind);
        if (t.rows() == 0) continue;
        FileCompleteness fc;
        fc.kind = k.kind;
        fc.fileName = "sample";
        for (const SourceFile& s : ws.sources)
            if (s.kind == k.kind) fc.fileName = s.name;
        fc.rows = t.rows();
        double sum = 0;
        for (const auto& alts : k.fields) {
            std::vector<const Column*> cols;
            std::string label;
            for (const char* a : alts) {
                if (const Column* c = t.find(a)) cols.push_back(c);
                label += (label.empty() ? "" : " or ") + std::string(a);
            }
            std::uint64_t filled = 0;
            for (std::size_t r = 0; r < t.rows(); ++r) {
                bool any = false;
                for (const Column* c : cols) any |= !c->isNull(r);
                filled += any ? 1 : 0;
            }
            const double share = static_cast<double>(filled) / static_cast<double>(t.rows());
            fc.fields.push_back({label, share});
            sum += share;
        }
        fc.score = k.fields.empty() ? 1.0 : sum / static_cast<double>(k.fields.size());
        rep.completeness.push_back(std::move(fc));
    }
}

} // namespace

// [SECTION] job and JSON
struct HygieneJob::State {
    const Workspace& ws;
    HygieneOptions opt;
    HygieneReport rep;
    DuplicateNames names;
    Finding nameFinding;
    bool namesActive = false;
    int stage = 0;
    static constexpr int kStages = 9;
    State(const Workspace& w, HygieneOptions o) : ws(w), opt(o) {}
};

HygieneJob::HygieneJob(const Workspace& ws, HygieneOptions opt) : m_s(std::make_unique<State>(ws, opt)) {
    m_s->rep.asOf = opt.asOf;
    m_s->rep.staleDays = opt.staleDays;
}
HygieneJob::~HygieneJob() = default;
HygieneReport& HygieneJob::report() { return m_s->rep; }

double HygieneJob::progress() const {
    const State& s = *m_s;
    double p = static_cast<double>(s.stage) / State::kStages;
    if (s.stage == 1 && s.namesActive && s.ws.accounts().rows())
        p += static_cast<double>(s.names.next) / static_cast<double>(s.ws.accounts().rows()) / State::kStages;
    return std::min(1.0, p);
}

std::string HygieneJob::detail() const {
    static const char* kNames[] = {"Duplicate ids", "Probable duplicate accounts", "Unknown accounts and owners", "Spellings",
                                   "Pipeline checks", "Outliers", "Locations", "Completeness", "Done"};
    return kNames[std::min(m_s->stage, State::kStages - 1)];
}

bool HygieneJob::step(double budgetMs) {
    State& s = *m_s;
    const Stopwatch sw;
    while (s.stage < State::kStages - 1 && !m_cancelled) {
        switch (s.stage) {
        case 0: checkDuplicateIds(s.ws, s.rep); ++s.stage; break;
        case 1:
            if (!s.namesActive) {
                s.namesActive = true;
                if (!s.names.start(s.ws, s.nameFinding)) {
                    finish(s.nameFinding);
                    s.rep.findings.push_back(std::move(s.nameFinding));
                    ++s.stage;
                    break;
                }
            }
            if (s.names.hash(s.ws, 50000)) {
                s.names.group(s.ws, s.nameFinding);
                s.rep.findings.push_back(std::move(s.nameFinding));
                ++s.stage;
            }
            break;
        case 2: checkReferences(s.ws, s.rep); ++s.stage; break;
        case 3:
            checkSpellings(s.ws, DatasetKind::Opportunities, "stage", s.rep);
            checkSpellings(s.ws, DatasetKind::Opportunities, "product", s.rep);
            checkSpellings(s.ws, DatasetKind::Opportunities, "owner", s.rep);
            checkSpellings(s.ws, DatasetKind::Opportunities, "forecast_category", s.rep);
            checkSpellings(s.ws, DatasetKind::Accounts, "segment", s.rep);
            checkSpellings(s.ws, DatasetKind::Accounts, "industry", s.rep);
            checkSpellings(s.ws, DatasetKind::Accounts, "owner", s.rep);
            checkProductNames(s.ws, s.rep);
            ++s.stage;
            break;
        case 4: checkPipeline(s.ws, s.opt, s.rep); ++s.stage; break;
        case 5:
            checkOutliers(s.ws, DatasetKind::Opportunities, "amount", s.opt, s.rep);
            checkOutliers(s.ws, DatasetKind::Accounts, "revenue", s.opt, s.rep);
            checkOutliers(s.ws, DatasetKind::Accounts, "employees", s.opt, s.rep);
            checkOutliers(s.ws, DatasetKind::Accounts, "potential", s.opt, s.rep);
            ++s.stage;
            break;
        case 6: checkLocation(s.ws, s.rep); ++s.stage; break;
        case 7: checkCompleteness(s.ws, s.rep); ++s.stage; break;
        default: break;
        }
        if (sw.ms() >= budgetMs) break; // at least one unit of work per call
    }
    return s.stage >= State::kStages - 1 || m_cancelled;
}

HygieneReport checkHygiene(const Workspace& ws, const HygieneOptions& opt) {
    HygieneJob job(ws, opt);
    runToCompletion(job);
    return std::move(job.report());
}

std::string hygieneToJson(const Workspace& ws, const HygieneReport& r, std::size_t maxRows) {
    nlohmann::ordered_json j;
    j["as_of"] = formatDate(r.asOf);
    j["stale_days"] = r.staleDays;
    j["problems"] = r.problems();
    j["findings"] = nlohmann::ordered_json::array();
    for (const Finding& f : r.findings) {
        nlohmann::ordered_json o;
        o["id"] = f.id;
        o["title"] = f.title;
        o["dataset"] = datasetKindName(f.dataset);
        if (!f.column.empty()) o["column"] = f.column;
        o["severity"] = findingSeverityName(f.severity);
        o["checked"] = f.checked;
        if (!f.checked) o["skipped"] = f.skipped;
        o["count"] = f.count;
        const Table& t = ws.table(f.dataset);
        const int idCol = t.indexOf(idFieldOf(f.dataset));
        nlohmann::ordered_json ex = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < f.rows.size() && i < maxRows; ++i) {
            const std::uint32_t row = f.rows[i];
            const std::string_view id = idCol >= 0 && row < t.rows() ? t.str(idCol, row) : std::string_view{};
            ex.push_back(id.empty() ? "row " + std::to_string(row + 1) : std::string(id));
        }
        o["examples"] = ex;
        if (!f.spellings.empty()) {
            nlohmann::ordered_json sp = nlohmann::ordered_json::array();
            for (const SpellingGroup& g : f.spellings) sp.push_back({{"canonical", g.canonical}, {"variants", g.variants}, {"cells", g.cells}});
            o["spellings"] = sp;
        }
        o["basis"] = f.basis;
        j["findings"].push_back(o);
    }
    j["completeness"] = nlohmann::ordered_json::array();
    for (const FileCompleteness& c : r.completeness) {
        nlohmann::ordered_json o;
        o["dataset"] = datasetKindName(c.kind);
        o["file"] = c.fileName;
        o["rows"] = c.rows;
        o["score"] = std::round(c.score * 10000.0) / 10000.0;
        nlohmann::ordered_json fields = nlohmann::ordered_json::object();
        for (const FieldFill& ff : c.fields) fields[ff.field] = std::round(ff.filled * 10000.0) / 10000.0;
        o["fields"] = fields;
        j["completeness"].push_back(o);
    }
    return j.dump();
}

std::string findingsToCsv(const Workspace& ws, const HygieneReport& r) {
    std::string out;
    CsvWriter w(out);
    for (const char* h : {"finding", "title", "severity", "dataset", "row", "id", "detail"}) w.field(h);
    w.endRow();
    for (const Finding& f : r.findings) {
        const Table& t = ws.table(f.dataset);
        const int idCol = t.indexOf(idFieldOf(f.dataset));
        const Column* col = f.column.empty() ? nullptr : t.find(f.column);
        for (std::size_t i = 0; i < f.rows.size(); ++i) {
            const std::uint32_t row = f.rows[i];
            std::string detail;
            if (i < f.groups.size()) detail = "group " + std::to_string(f.groups[i] + 1);
            if (col && row < t.rows()) detail += (detail.empty() ? "" : "; ") + f.column + " = " + col->format(row, t.pool());
            w.field(f.id).field(f.title).field(findingSeverityName(f.severity)).field(datasetKindName(f.dataset));
            w.field(static_cast<long long>(row) + 1);
            w.field(idCol >= 0 && row < t.rows() ? t.str(idCol, row) : std::string_view{});
            w.field(detail);
            w.endRow();
        }
    }
    return out;
}

// [SECTION] actions
bool isProductNameFinding(const Finding& f) { return f.id == "product_names_products" || f.id == "product_names_opportunities"; }

std::uint64_t mergeProductNames(Workspace& ws, const std::vector<std::string>& variants, std::string_view canonical) {
    std::uint64_t n = 0;
    if (ws.table(DatasetKind::Products).find("name")) n += mergeSpellings(ws, DatasetKind::Products, "name", variants, canonical);
    if (const Column* c = ws.opportunities().find("product"); c && c->type() == ColumnType::String)
        n += mergeSpellings(ws, DatasetKind::Opportunities, "product", variants, canonical);
    return n;
}

std::uint64_t mergeSpellings(Workspace& ws, DatasetKind kind, std::string_view column, const std::vector<std::string>& variants,
                             std::string_view canonical) {
    Table& t = ws.table(kind);
    Column* c = t.find(column);
    if (!c || c->type() != ColumnType::String)
        throw std::invalid_argument(std::string(datasetKindName(kind)) + " has no text column '" + std::string(column) + "'");
    std::unordered_set<std::uint32_t> from;
    for (const auto& v : variants)
        if (auto id = t.pool().find(v); id && v != canonical) from.insert(*id);
    const std::uint32_t to = t.pool().intern(canonical);
    std::uint64_t n = 0;
    for (auto& id : c->ids()) {
        if (from.count(id)) {
            id = to;
            ++n;
        }
    }
    if (n > 0) {
        std::string list;
        for (const auto& v : variants) list += (list.empty() ? "'" : ", '") + v + "'";
        ws.dataEdits.push_back({kind, "Merged " + list + " into '" + std::string(canonical) + "' in " + datasetKindName(kind) + "." +
                                          std::string(column) + " (" + std::to_string(n) + " cells)",
                                n});
        ws.rebuildIndexes();
    }
    return n;
}

} // namespace terrane
