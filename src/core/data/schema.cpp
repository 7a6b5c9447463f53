#include "core/data/schema.hpp"

namespace terrane {

namespace {
using CT = ColumnType;

constexpr FieldSpec kAccounts[] = {
    {"account_id", CT::String, true, "Account ID"},
    {"name", CT::String, false, "Account name"},
    {"lat", CT::F64, false, "Latitude"},
    {"lon", CT::F64, false, "Longitude"},
    {"postcode", CT::String, false, "Postcode / ZIP"},
    {"city", CT::String, false, "City"},
    {"state", CT::String, false, "State / region"},
    {"country", CT::String, false, "Country"},
    {"segment", CT::String, false, "Segment"},
    {"industry", CT::String, false, "Industry"},
    {"employees", CT::I64, false, "Employees"},
    {"revenue", CT::Money, false, "Annual revenue"},
    {"potential", CT::Money, false, "Potential (TAM / whitespace)"},
    {"arr", CT::Money, false, "Current ARR"},
    {"workload", CT::F64, false, "Workload (hours per year)"},
    {"tier", CT::String, false, "Tier"},
    {"owner", CT::String, false, "Owner (rep id)"},
    {"territory", CT::String, false, "Territory"},
    {"locked", CT::Bool, false, "Locked to its territory"},
};

constexpr FieldSpec kReps[] = {
    {"rep_id", CT::String, true, "Rep / seat ID"},
    {"name", CT::String, false, "Name"},
    {"role", CT::String, false, "Role"},
    {"manager", CT::String, false, "Manager"},
    {"region", CT::String, false, "Region"},
    {"district", CT::String, false, "District"},
    {"territory", CT::String, false, "Territory"},
    {"home_city", CT::String, false, "Home city"},
    {"home_state", CT::String, false, "Home state"},
    {"home_lat", CT::F64, false, "Home latitude"},
    {"home_lon", CT::F64, false, "Home longitude"},
    {"start_date", CT::Date, false, "Start date"},
    {"capacity", CT::F64, false, "Capacity (ramp factor 0-1)"},
    {"vacant", CT::Bool, false, "Vacant seat (TBH)"},
    {"ote", CT::Money, false, "On-target earnings (OTE)"},
    {"base_salary", CT::Money, false, "Base salary"},
    {"target_incentive", CT::Money, false, "Target incentive (variable at 100%)"},
    {"pay_mix", CT::String, false, "Pay mix (base/variable, e.g. 60/40)"},
    {"ramp_end", CT::Date, false, "Ramp end date"},
};

constexpr FieldSpec kTerritories[] = {
    {"territory_id", CT::String, true, "Territory ID"},
    {"name", CT::String, false, "Name"},
    {"level", CT::String, false, "Level (region / district / territory)"},
    {"parent_id", CT::String, false, "Parent territory"},
    {"owner", CT::String, false, "Owner (rep id)"},
};

constexpr FieldSpec kOpportunities[] = {
    {"opportunity_id", CT::String, true, "Opportunity ID"},
    {"account_id", CT::String, false, "Account ID"},
    {"name", CT::String, false, "Name"},
    {"owner", CT::String, false, "Owner (rep id)"},
    {"stage", CT::String, false, "Stage"},
    {"amount", CT::Money, false, "Amount"},
    {"probability", CT::F64, false, "Probability"},
    {"forecast_category", CT::String, false, "Forecast category"},
    {"product", CT::String, false, "Product"},
    {"created_date", CT::Date, false, "Created date"},
    {"close_date", CT::Date, false, "Close date"},
    {"is_closed", CT::Bool, false, "Closed"},
    {"is_won", CT::Bool, false, "Won"},
    {"last_activity_date", CT::Date, false, "Last activity date"},
    {"next_step", CT::String, false, "Next step"},
    {"status", CT::String, false, "Status (open / won / lost)"},
    {"cancel_date", CT::Date, false, "Cancellation date (clawbacks)"},
};

constexpr FieldSpec kStageHistory[] = {
    {"opportunity_id", CT::String, true, "Opportunity ID"},
    {"stage", CT::String, true, "Stage"},
    {"date", CT::Date, true, "Date"},
    {"amount", CT::Money, false, "Amount"},
    {"close_date", CT::Date, false, "Close date"},
    {"probability", CT::F64, false, "Probability"},
    {"forecast_category", CT::String, false, "Forecast category"},
};

constexpr FieldSpec kBookings[] = {
    {"rep_id", CT::String, false, "Rep ID"},
    {"territory", CT::String, false, "Territory"},
    {"account_id", CT::String, false, "Account ID"},
    {"date", CT::Date, true, "Booking date / month"},
    {"amount", CT::Money, true, "Amount"},
};

// A product catalogue (Salesforce Product2 with its list price, HubSpot products, a price list).
constexpr FieldSpec kProducts[] = {
    {"product_id", CT::String, false, "Product ID"},
    {"name", CT::String, true, "Product name"},
    {"product_code", CT::String, false, "Product code / SKU"},
    {"family", CT::String, false, "Product family"},
    {"list_price", CT::Money, false, "List price"},
    {"active", CT::Bool, false, "Active"},
};

// Travel graph between accounts (postcode adjacency, road network, drive-time pairs from a routing
// tool): contiguity and in-territory distances of the territory optimiser follow it.
constexpr FieldSpec kAdjacency[] = {
    {"a", CT::String, true, "From account ID"},
    {"b", CT::String, true, "To account ID"},
    {"distance", CT::F64, false, "Distance or travel time"},
};

constexpr StageSpec kStages[] = {
    {"Prospecting", 0.10, "Pipeline"},   {"Qualification", 0.20, "Pipeline"},
    {"Discovery", 0.35, "Pipeline"},     {"Proposal", 0.55, "Best Case"},
    {"Negotiation", 0.80, "Commit"},     {"Closed Won", 1.0, "Closed"},
    {"Closed Lost", 0.0, "Omitted"},
};
} // namespace

const char* datasetKindName(DatasetKind k) {
    switch (k) {
    case DatasetKind::Accounts: return "accounts";
    case DatasetKind::Reps: return "reps";
    case DatasetKind::Territories: return "territories";
    case DatasetKind::Opportunities: return "opportunities";
    case DatasetKind::StageHistory: return "stage_history";
    case DatasetKind::Bookings: return "bookings";
    case DatasetKind::Products: return "products";
    case DatasetKind::Adjacency: return "adjacency";
    }
    return "?";
}

bool parseDatasetKind(std::string_view name, DatasetKind& out) {
    for (int i = 0; i < kDatasetKindCount; ++i) {
        const auto k = static_cast<DatasetKind>(i);
        if (name == datasetKindName(k)) {
            out = k;
            return true;
        }
    }
    return false;
}

std::span<const FieldSpec> fieldsOf(DatasetKind k) {
    switch (k) {
    case DatasetKind::Accounts: return kAccounts;
    case DatasetKind::Reps: return kReps;
    case DatasetKind::Territories: return kTerritories;
    case DatasetKind::Opportunities: return kOpportunities;
    case DatasetKind::StageHistory: return kStageHistory;
    case DatasetKind::Bookings: return kBookings;
    case DatasetKind::Products: return kProducts;
    case DatasetKind::Adjacency: return kAdjacency;
    }
    return {};
}

const FieldSpec* findField(DatasetKind k, std::string_view name) {
    for (const FieldSpec& f : fieldsOf(k))
        if (f.name == name) return &f;
    return nullptr;
}

std::string_view idFieldOf(DatasetKind k) {
    switch (k) {
    case DatasetKind::Accounts: return "account_id";
    case DatasetKind::Reps: return "rep_id";
    case DatasetKind::Territories: return "territory_id";
    case DatasetKind::Opportunities: return "opportunity_id";
    case DatasetKind::Products: return "product_id";
    default: return {};
    }
}

std::span<const StageSpec> standardStages() { return kStages; }

} // namespace terrane
