#include "core/import/mapping.hpp"

#include "core/base/sha256.hpp"
#include "core/base/text.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace terrane {

// Index
//  [SECTION] aliases       spellings of each canonical field in CRM exports (normalised)
//  [SECTION] matching      header -> fields, kind detection
//  [SECTION] memory        remembered mappings and their JSON form

std::string normalizeHeader(std::string_view h) {
    std::string r;
    r.reserve(h.size());
    for (char c : h) {
        if (c >= 'A' && c <= 'Z') r += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) r += c;
    }
    return r;
}

// [SECTION] aliases
namespace {

struct AliasRow {
    DatasetKind kind;
    std::string_view field;
    std::string_view aliases; // '|'-separated, normalised, most specific first
    bool distinctive;         // a field that points at this kind
};

using K = DatasetKind;
// Salesforce (Account, Opportunity, OpportunityHistory, User, Product2), HubSpot (companies, deals, products) and
// Dynamics 365 ("Address 1: City", "(Do Not Modify) Account") spellings, plus common hand-made ones.
constexpr AliasRow kAliases[] = {
    {K::Accounts, "account_id", "accountid|id|recordid|donotmodifyaccount|accountnumber|companyid|customerid|accountrecordid", false},
    {K::Accounts, "name", "name|accountname|companyname|company|organizationname|organisationname|organization|organisation|customername|customer", false},
    {K::Accounts, "lat", "latitude|billinglatitude|address1latitude|shippinglatitude|lat", true},
    {K::Accounts, "lon", "longitude|billinglongitude|address1longitude|shippinglongitude|lng|long", true},
    {K::Accounts, "postcode", "postalcode|zip|zipcode|billingpostalcode|billingzip|billingzipcode|address1zippostalcode|zippostalcode|postcodezip|postal|shippingpostalcode", true},
    {K::Accounts, "city", "billingcity|address1city|town|shippingcity", true},
    {K::Accounts, "state", "stateregion|billingstate|billingstateprovince|address1stateprovince|stateprovince|province|statecode|billingstatecode|shippingstate", true},
    {K::Accounts, "country", "countryregion|billingcountry|address1countryregion|countrycode|billingcountrycode|shippingcountry|nation|countryname|hqcountry|headquarterscountry|officelocation|headquarters|hq|location", true},
    {K::Accounts, "segment", "customersegment|marketsegment|accountsegment", true},
    {K::Accounts, "industry", "vertical|sector|industrysector", true},
    {K::Accounts, "employees", "numberofemployees|employeecount|noofemployees|headcount|employeesnumber|staff", true},
    {K::Accounts, "revenue", "annualrevenue|companyrevenue|totalrevenue", true},
    {K::Accounts, "potential", "tam|whitespace|marketpotential|accountpotential|totaladdressablemarket", true},
    {K::Accounts, "arr", "currentarr|annualrecurringrevenue|recurringrevenue|customerarr", true},
    {K::Accounts, "workload", "workloadhours|effort|servicehours", false},
    {K::Accounts, "tier", "accounttier|customertier|priority", true},
    {K::Accounts, "owner", "ownerid|accountowner|companyowner|hubspotowner|owneremail|accountmanager|owningrep|salesperson|salesagent|salesrep|rep|ae|accountexecutive|ownername", false},
    {K::Accounts, "territory", "territoryname|territoryid|salesterritory", false},
    {K::Accounts, "locked", "namedaccount|isnamedaccount|islocked", false},

    {K::Reps, "rep_id", "repid|userid|id|employeeid|seatid|salesrepid|recordid", false},
    {K::Reps, "name", "name|repname|fullname|username|salesrep|employeename", false},
    {K::Reps, "role", "title|jobtitle|userrole|position|reprole", true},
    {K::Reps, "manager", "managerid|managername|reportsto|salesmanager", true},
    {K::Reps, "region", "salesregion", false},
    {K::Reps, "district", "salesdistrict|area", true},
    {K::Reps, "territory", "territoryname|territoryid", false},
    {K::Reps, "home_city", "homecity|city|basecity|officecity", true},
    {K::Reps, "home_state", "homestate|state|basestate|officestate", true},
    {K::Reps, "home_lat", "homelatitude|latitude|lat", true},
    {K::Reps, "home_lon", "homelongitude|longitude|lng|lon", true},
    {K::Reps, "start_date", "startdate|hiredate|dateofhire|hired|started", true},
    {K::Reps, "capacity", "rampfactor|ramp|productivity|fte", true},
    {K::Reps, "vacant", "isvacant|tbh|openseat|tobehired", true},
    {K::Reps, "ote", "ontargetearnings|targetearnings|ote|totaltargetcompensation|ttc|oteusd", true},
    {K::Reps, "base_salary", "basesalary|base|basepay|salary", true},
    {K::Reps, "target_incentive", "targetincentive|variablepay|targetvariable|variable|targetcommission|tic|incentivetarget", true},
    {K::Reps, "pay_mix", "paymix|mix|basevariablesplit", true},
    {K::Reps, "ramp_end", "rampend|rampenddate|rampeddate|fullyrampeddate", true},

    {K::Territories, "territory_id", "territoryid|id|territorycode|code", false},
    {K::Territories, "name", "name|territoryname", false},
    {K::Territories, "level", "territorylevel|type|territorytype", true},
    {K::Territories, "parent_id", "parentid|parent|parentterritoryid|parentterritory|parentcode", true},
    {K::Territories, "owner", "ownerid|repid|territoryowner", false},

    {K::Adjacency, "a", "fromaccount|fromaccountid|accounta|fromid|origin|originid|from", true},
    {K::Adjacency, "b", "toaccount|toaccountid|accountb|toid|destination|destinationid|to", true},
    {K::Adjacency, "distance", "distance|traveltime|drivetime|drivingtime|traveldistance|drivedistance|durationminutes", false},

    {K::Opportunities, "opportunity_id", "opportunityid|id|recordid|dealid|opportunitynumber|donotmodifyopportunity", false},
    {K::Opportunities, "account_id", "accountid|associatedcompanyid|companyid|account|customerid|accountname|associatedcompany|companyname|company|organization|organisation|customer|client", false},
    {K::Opportunities, "name", "name|opportunityname|dealname|topic|title|dealtitle|opportunitytitle", false},
    {K::Opportunities, "owner", "ownerid|opportunityowner|dealowner|hubspotowner|owneremail|salesrep|salesperson|salesagent|rep|ae|accountexecutive|ownername|dealownername|assignedto|salesowner", false},
    {K::Opportunities, "stage", "stagename|dealstage|salesstage|pipelinestage|pipelinestep|step|phase|salesphase|dealphase", true},
    {K::Opportunities, "amount", "dealamount|amountinusd|value|estrevenue|estimatedrevenue|opportunityamount|dealvalue|closevalue|dealsize|contractvalue|expectedrevenue|amountusd|totalvalue", true},
    {K::Opportunities, "probability", "dealprobability|winprobability|probabilitypercent|chance|winchance|likelihood|chanceofwinning", true},
    {K::Opportunities, "forecast_category", "forecastcategoryname|forecastcategory|forecast|forecastcat", true},
    {K::Opportunities, "product", "productname|productline|productfamily|products", true},
    {K::Opportunities, "created_date", "createddate|createdate|created|createdon|opendate|datecreated|createdat|dealcreated|dealcreatedon|addtime|engagedon|engaged|engagementdate|openedon|opened|dateopened|startdate|started", false},
    {K::Opportunities, "close_date", "closedate|expectedclosedate|estclosedate|estimatedclosedate|closedon|closingdate|dateclosed|closedat|closeddate|expectedclose|wontime|closetime", true},
    {K::Opportunities, "is_closed", "isclosed|closed", true},
    {K::Opportunities, "is_won", "iswon|won|closedwon", true},
    {K::Opportunities, "last_activity_date", "lastactivitydate|lastactivity|lastcontacted|lastactivityon", true},
    {K::Opportunities, "next_step", "nextstep|nextsteps|nextaction", true},
    // Pipedrive's and Dynamics' open / won / lost beside the pipeline stage.
    {K::Opportunities, "cancel_date", "canceldate|cancellationdate|cancelleddate|canceledon|cancelledon|churndate|churnedon", true},
    {K::Opportunities, "status", "dealstatus|opportunitystatus|statecode|outcome|dealoutcome|result|winloss|wonlost", true},

    {K::StageHistory, "opportunity_id", "opportunityid|dealid|opportunity|opportunityrecordid", true},
    {K::StageHistory, "stage", "stagename|tostage|newstage|dealstage", false},
    {K::StageHistory, "date", "createddate|changedate|stagedate|changedon|createdon|modifieddate|timestamp", false},
    {K::StageHistory, "amount", "", false},
    {K::StageHistory, "close_date", "closedate|expectedclosedate", false},
    {K::StageHistory, "probability", "dealprobability|probabilitypercent", false},
    {K::StageHistory, "forecast_category", "forecastcategoryname|forecastcategory", false},

    {K::Bookings, "rep_id", "repid|ownerid|owner|rep|salesrep|userid", false},
    {K::Bookings, "territory", "territoryid|territoryname", false},
    {K::Bookings, "account_id", "accountid|account|customerid", false},
    {K::Bookings, "date", "bookingdate|bookeddate|bookedon|closedate|month|period", true},
    {K::Bookings, "amount", "bookings|bookingamount|bookedamount|value", true},

    // Salesforce Product2 / PricebookEntry, HubSpot products, hand-made price lists.
    {K::Products, "product_id", "productid|product2id|id|recordid", false},
    {K::Products, "name", "name|productname|product|item|itemname", false},
    {K::Products, "product_code", "productcode|sku|itemcode|partnumber|code", true},
    {K::Products, "family", "productfamily|family|producttype|productcategory|productline|category", true},
    {K::Products, "list_price", "listprice|unitprice|price|msrp|standardprice", true},
    {K::Products, "active", "isactive|active", false},
};

const AliasRow* aliasRow(DatasetKind kind, std::string_view field) {
    for (const AliasRow& r : kAliases)
        if (r.kind == kind && r.field == field) return &r;
    return nullptr;
}

bool isOpportunityReference(std::string_view norm) {
    return norm == "opportunityid" || norm == "dealid" || norm == "opportunity" || norm == "opportunityrecordid";
}
bool isAccountReference(std::string_view norm) {
    return norm == "accountid" || norm == "account" || norm == "companyid" || norm == "associatedcompanyid";
}
bool isNameColumn(std::string_view norm) { return norm == "name" || norm == "opportunityname" || norm == "dealname"; }

} // namespace

std::vector<std::string> fieldAliases(DatasetKind kind, std::string_view field) {
    std::vector<std::string> out{normalizeHeader(field)};
    if (const AliasRow* r = aliasRow(kind, field)) {
        std::vector<std::string_view> parts;
        splitInto(r->aliases, '|', parts);
        for (auto p : parts)
            if (!p.empty() && std::find(out.begin(), out.end(), p) == out.end()) out.emplace_back(p);
    }
    return out;
}

// [SECTION] matching
namespace {
// A header without a vendor's record prefix, normalised: Pipedrive writes "Deal - Value" and
// "Organization - Name" where others write "Value" and "Name".
std::string bareHeader(std::string_view plain) {
    static constexpr std::string_view kRecords[] = {"deal", "deals", "organization", "organisation", "org", "person",
                                                    "lead", "product", "activity", "company", "contact", "account",
                                                    "opportunity", "user"};
    if (const std::size_t dash = plain.find(" - "); dash != std::string_view::npos) {
        const std::string record = normalizeHeader(plain.substr(0, dash));
        for (std::string_view r : kRecords)
            if (record == r) return normalizeHeader(plain.substr(dash + 3));
    }
    return normalizeHeader(plain);
}
} // namespace

std::vector<int> matchHeader(DatasetKind kind, const std::vector<std::string>& header) {
    const auto fields = fieldsOf(kind);
    std::vector<std::string> norm, bare;
    norm.reserve(header.size());
    for (const auto& h : header) {
        norm.push_back(normalizeHeader(h));
        // Without a bracketed unit or currency: "ARR (000s)", "Amount [USD]" read as "ARR", "Amount".
        std::string plain;
        int depth = 0;
        for (char ch : h) {
            if (ch == '(' || ch == '[') ++depth;
            else if ((ch == ')' || ch == ']') && depth > 0) --depth;
            else if (depth == 0) plain += ch;
        }
        bare.push_back(bareHeader(plain));
    }
    std::vector<std::vector<std::string>> aliases;
    std::size_t maxRank = 0;
    for (const FieldSpec& f : fields) {
        aliases.push_back(fieldAliases(kind, f.name));
        maxRank = std::max(maxRank, aliases.back().size());
    }
    std::vector<int> out(fields.size(), -1);
    std::vector<char> taken(header.size(), 0);
    // Rank-major: every field's best alias is tried before any field's second-best one.
    for (std::size_t rank = 0; rank < maxRank; ++rank) {
        for (std::size_t fi = 0; fi < fields.size(); ++fi) {
            if (out[fi] >= 0 || rank >= aliases[fi].size()) continue;
            for (std::size_t c = 0; c < norm.size(); ++c) {
                if (taken[c] || norm[c].empty() || (norm[c] != aliases[fi][rank] && bare[c] != aliases[fi][rank])) continue;
                out[fi] = static_cast<int>(c);
                taken[c] = 1;
                break;
            }
        }
    }
    // No id column: the name column is the id as well (one column feeds both fields); duplicate
    // names surface as duplicate ids in the data-quality report.
    const std::string_view idField = idFieldOf(kind);
    int idAt = -1, nameAt = -1;
    for (std::size_t fi = 0; fi < fields.size(); ++fi) {
        if (fields[fi].name == idField) idAt = static_cast<int>(fi);
        if (fields[fi].name == "name") nameAt = static_cast<int>(fi);
    }
    if (idAt >= 0 && nameAt >= 0 && out[static_cast<std::size_t>(idAt)] < 0)
        out[static_cast<std::size_t>(idAt)] = out[static_cast<std::size_t>(nameAt)];
    // A status column and no stage column: the status is the stage as well (its stage table
    // reads Open / Won / Lost).
    int stageAt = -1, statusAt = -1;
    for (std::size_t fi = 0; fi < fields.size(); ++fi) {
        if (fields[fi].name == "stage") stageAt = static_cast<int>(fi);
        if (fields[fi].name == "status") statusAt = static_cast<int>(fi);
    }
    if (stageAt >= 0 && statusAt >= 0 && out[static_cast<std::size_t>(stageAt)] < 0)
        out[static_cast<std::size_t>(stageAt)] = out[static_cast<std::size_t>(statusAt)];
    return out;
}

std::vector<KindGuess> guessKinds(const std::vector<std::string>& header) {
    std::vector<std::string> norm;
    for (const auto& h : header) norm.push_back(bareHeader(h));
    bool oppRef = false, accountRef = false, nameCol = false;
    for (const auto& n : norm) {
        oppRef |= isOpportunityReference(n);
        accountRef |= isAccountReference(n);
        nameCol |= isNameColumn(n);
    }
    std::vector<KindGuess> out;
    for (int k = 0; k < kDatasetKindCount; ++k) {
        const auto kind = static_cast<DatasetKind>(k);
        const auto fields = fieldsOf(kind);
        const std::vector<int> m = matchHeader(kind, header);
        KindGuess g;
        g.kind = kind;
        bool missingRequired = false;
        int matched = 0;
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (m[i] < 0) {
                missingRequired |= fields[i].required;
                continue;
            }
            ++matched;
            const AliasRow* r = aliasRow(kind, fields[i].name);
            const bool bareId = norm[static_cast<std::size_t>(m[i])] == "id";
            const bool ownId = fields[i].name == idFieldOf(kind);
            // The name standing in for a missing id says little about the kind.
            const bool idFromName = ownId && [&] {
                for (std::size_t k = 0; k < fields.size(); ++k)
                    if (k != i && fields[k].name == "name" && m[k] == m[i]) return true;
                return false;
            }();
            // The project's own spelling of a kind's id ("account_id", "rep_id") says which kind it is.
            const bool canonicalId = ownId && toLower(trim(header[static_cast<std::size_t>(m[i])])) == fields[i].name;
            if (canonicalId) g.score += 3.0, ++g.distinctive;
            else if (ownId) g.score += bareId || idFromName ? 0.5 : 2.0;
            else if (r && r->distinctive) g.score += 3.0, ++g.distinctive;
            else g.score += 1.0;
        }
        if (missingRequired) {
            g.score = 0;
            g.reason = "a required field is missing";
        } else {
            g.reason = std::to_string(matched) + " of " + std::to_string(fields.size()) + " fields recognised";
        }
        // Stage history: an opportunity reference and a stage, but no account or name of its own
        // (Salesforce OpportunityHistory: OpportunityId, StageName, CreatedDate, Amount).
        const bool historyShape = oppRef && !accountRef && !nameCol;
        if (kind == DatasetKind::StageHistory && g.score > 0) {
            if (historyShape) {
                g.score += 12.0;
                g.distinctive += 2;
                g.reason += "; opportunity reference with stage changes";
            } else {
                g.score *= 0.3;
            }
        }
        // An opportunity export has its own id, account and name; a file that only refers to
        // opportunities is their history.
        if (kind == DatasetKind::Opportunities && historyShape) g.score *= 0.3;
        out.push_back(std::move(g));
    }
    std::stable_sort(out.begin(), out.end(), [](const KindGuess& a, const KindGuess& b) { return a.score > b.score; });
    return out;
}

bool kindGuessConfident(const std::vector<KindGuess>& ranked) {
    if (ranked.empty() || ranked[0].score < 3.0) return false;
    const int needDistinctive = ranked[0].kind == DatasetKind::Territories ? 1 : 2;
    if (ranked[0].distinctive < needDistinctive) return false;
    return ranked.size() < 2 || ranked[0].score >= 1.5 * ranked[1].score;
}

std::string headerSignature(const std::vector<std::string>& header) {
    Sha256 h;
    for (const auto& c : header) {
        h.update(normalizeHeader(c));
        h.update("\x1f", 1);
    }
    return h.hexDigest().substr(0, 24);
}

// [SECTION] memory
const RememberedMapping* MappingMemory::find(std::string_view signature) const {
    for (const auto& e : m_entries)
        if (e.signature == signature) return &e;
    return nullptr;
}

void MappingMemory::remember(RememberedMapping m) {
    for (auto& e : m_entries) {
        if (e.signature == m.signature) {
            e = std::move(m);
            return;
        }
    }
    m_entries.push_back(std::move(m));
}

void MappingMemory::forget(std::string_view signature) {
    std::erase_if(m_entries, [&](const RememberedMapping& e) { return e.signature == signature; });
}


std::string MappingMemory::toJson() const {
    nlohmann::ordered_json j;
    j["version"] = 1;
    j["mappings"] = nlohmann::ordered_json::array();
    for (const auto& e : m_entries) {
        nlohmann::ordered_json m;
        m["signature"] = e.signature;
        m["kind"] = datasetKindName(e.kind);
        m["date_order"] = dateOrderName(e.dateOrder);
        m["header"] = e.header;
        nlohmann::ordered_json f = nlohmann::ordered_json::object();
        for (const auto& [field, header] : e.fields) f[field] = header;
        m["fields"] = f;
        if (!e.stages.empty()) {
            nlohmann::ordered_json st = nlohmann::ordered_json::array();
            for (const StageRow& r : e.stages)
                st.push_back({{"name", r.name},
                              {"outcome", stageOutcomeName(r.outcome)},
                              {"probability", std::isnan(r.probability) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.probability)},
                              {"order", r.order}});
            m["stages"] = st;
        }
        j["mappings"].push_back(m);
    }
    return j.dump();
}

bool MappingMemory::fromJson(std::string_view text, std::string& error) {
    // Ordered, so the fields come back in the order they were confirmed.
    const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("mappings") || !j["mappings"].is_array()) {
        error = "remembered mappings: not a JSON object with a \"mappings\" array";
        return false;
    }
    std::vector<RememberedMapping> entries;
    for (const auto& m : j["mappings"]) {
        if (!m.is_object() || !m.contains("signature") || !m["signature"].is_string() || !m.contains("kind") || !m["kind"].is_string() ||
            !m.contains("fields") || !m["fields"].is_object()) {
            error = "remembered mappings: an entry lacks signature, kind or fields";
            return false;
        }
        RememberedMapping r;
        r.signature = m["signature"].get<std::string>();
        if (!parseDatasetKind(m["kind"].get<std::string>(), r.kind)) {
            error = "remembered mappings: unknown kind '" + m["kind"].get<std::string>() + "'";
            return false;
        }
        const std::string order = m.contains("date_order") && m["date_order"].is_string() ? m["date_order"].get<std::string>() : "auto";
        if (!parseDateOrder(order, r.dateOrder)) r.dateOrder = DateOrder::Auto;
        if (m.contains("header") && m["header"].is_array())
            for (const auto& h : m["header"])
                if (h.is_string()) r.header.push_back(h.get<std::string>());
        for (auto it = m["fields"].begin(); it != m["fields"].end(); ++it) {
            if (!it.value().is_string() || !findField(r.kind, it.key())) continue;
            r.fields.emplace_back(it.key(), it.value().get<std::string>());
        }
        if (m.contains("stages") && m["stages"].is_array())
            for (const auto& st : m["stages"]) {
                StageRow row;
                if (!st.is_object() || !st.contains("name") || !st["name"].is_string() ||
                    !parseStageOutcome(st.value("outcome", ""), row.outcome))
                    continue;
                row.name = st["name"].get<std::string>();
                if (st.contains("probability") && st["probability"].is_number())
                    row.probability = std::clamp(st["probability"].get<double>(), 0.0, 1.0);
                row.order = st.value("order", 0);
                row.source = StageSource::User;
                r.stages.push_back(std::move(row));
            }
        entries.push_back(std::move(r));
    }
    m_entries = std::move(entries);
    return true;
}

} // namespace terrane
