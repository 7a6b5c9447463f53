#include "core/quota/compare.hpp"

#include <map>

namespace terrane::quota {

namespace {
std::string repKey(const QuotaResult& r, const RepQuota& q) {
    if (!q.repId.empty()) return q.repId;
    if (q.territories.empty() || q.territories[0] < 0 || static_cast<std::size_t>(q.territories[0]) >= r.tree.nodes.size())
        return "territory:?";
    return "territory:" + r.tree.nodes[static_cast<std::size_t>(q.territories[0])].id;
}

// Region-level nodes: the company's children (regions, or districts / territories when the
// hierarchy has no regions).
void regions(const QuotaResult& r, std::map<std::string, std::pair<std::string, Money>>& out) {
    if (r.tree.nodes.empty()) return;
    for (std::int32_t c : r.tree.nodes[0].children) {
        const QuotaNode& n = r.tree.nodes[static_cast<std::size_t>(c)];
        out[n.id] = {n.name, n.quota};
    }
}

std::vector<QuotaDelta> merge(const std::map<std::string, std::pair<std::string, Money>>& A,
                              const std::map<std::string, std::pair<std::string, Money>>& B) {
    std::map<std::string, QuotaDelta> m;
    for (const auto& [k, v] : A) {
        QuotaDelta& d = m[k];
        d.key = k, d.name = v.first, d.a = v.second, d.inA = true;
    }
    for (const auto& [k, v] : B) {
        QuotaDelta& d = m[k];
        d.key = k;
        if (d.name.empty()) d.name = v.first;
        d.b = v.second;
        d.inB = true;
    }
    std::vector<QuotaDelta> out;
    for (auto& [k, d] : m) out.push_back(std::move(d));
    return out;
}
} // namespace

QuotaComparison compareQuotas(const QuotaResult& a, const QuotaResult& b) {
    QuotaComparison c;
    std::map<std::string, std::pair<std::string, Money>> ra, rb, ga, gb, ta, tb;
    for (const RepQuota& q : a.reps) ra[repKey(a, q)] = {q.name, q.quota};
    for (const RepQuota& q : b.reps) rb[repKey(b, q)] = {q.name, q.quota};
    regions(a, ga);
    regions(b, gb);
    for (const QuotaNode& n : a.tree.nodes)
        if (n.level == QuotaLevel::Territory) ta[n.id] = {n.name, n.quota};
    for (const QuotaNode& n : b.tree.nodes)
        if (n.level == QuotaLevel::Territory) tb[n.id] = {n.name, n.quota};
    c.reps = merge(ra, rb);
    c.regions = merge(ga, gb);
    c.territories = merge(ta, tb);
    c.totalA = a.repTotal;
    c.totalB = b.repTotal;
    c.heldA = a.heldTotal;
    c.heldB = b.heldTotal;
    c.targetA = a.target;
    c.targetB = b.target;
    for (const QuotaDelta& d : c.reps) c.repsChanged += d.a != d.b || d.inA != d.inB ? 1 : 0;
    return c;
}

} // namespace terrane::quota
