// The canonical datasets Terrane understands and their fields (snake_case, as the CLI writes).
#pragma once

#include "core/data/table.hpp"

#include <span>
#include <string_view>

namespace terrane {

enum class DatasetKind : std::uint8_t { Accounts, Reps, Territories, Opportunities, StageHistory, Bookings, Products, Adjacency };
inline constexpr int kDatasetKindCount = 8;

const char* datasetKindName(DatasetKind k); // "accounts", "reps", ..., "products"
bool parseDatasetKind(std::string_view name, DatasetKind& out);

struct FieldSpec {
    std::string_view name;  // canonical column name
    ColumnType type;
    bool required;          // a row without it is rejected
    std::string_view label; // for the mapping dialog
};

// Canonical fields of a dataset, in the order the CLI writes them.
std::span<const FieldSpec> fieldsOf(DatasetKind k);
const FieldSpec* findField(DatasetKind k, std::string_view name);
// The id column of a dataset ("account_id", ...), or empty for history tables. Products may
// lack ids; they are then matched by name.
std::string_view idFieldOf(DatasetKind k);

// Standard opportunity stages of the sample pipeline, in order, with default probabilities.
struct StageSpec {
    std::string_view name;
    double probability;
    std::string_view forecastCategory;
};
std::span<const StageSpec> standardStages();

} // namespace terrane
