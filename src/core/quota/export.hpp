// Quota plan exports: CSV per rep and per node with basis columns, and an XLSX workbook whose
// roll-ups are live spreadsheet formulas (SUM over children) so Finance can audit the plan.
#pragma once

#include "core/quota/allocate.hpp"
#include "core/quota/fairness.hpp"
#include "core/quota/simulate.hpp"

#include <string>

namespace terrane::quota {

// One row per rep or seat (its territories' quotas summed), then one row per territory whose
// quota is held by a manager (status "held"). The quota column sums to every territory's quota.
// Money in major units with two decimals; `sim` adds expected attainment columns (may be null).
std::string quotaRepsCsv(const QuotaResult& r, const SimModel* model = nullptr,
                         const SimResult* sim = nullptr);
// One row per node of the hierarchy (company, regions, districts, territories).
std::string quotaNodesCsv(const QuotaResult& r);
// The workbook: Summary, one sheet per level (Regions, Districts, Territories), Reps, and
// Simulation when `sim` is given. Every "allocated to children" cell is =SUM(children's quota
// cells), every rep quota references its territories' cells.
std::string quotaWorkbook(const QuotaResult& r, const QuotaPlan& plan, const SimModel* model = nullptr,
                          const SimResult* sim = nullptr);

} // namespace terrane::quota
