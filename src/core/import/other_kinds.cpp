#include "core/import/other_kinds.hpp"

#include "core/base/text.hpp"
#include "core/import/mapping.hpp"

#include <algorithm>
#include <initializer_list>

namespace terrane {

namespace {

// The header, normalised, with lookups that record which columns were the evidence.
struct Header {
    const std::vector<std::string>& raw;
    std::vector<std::string> norm;
    std::vector<char> used;
    std::vector<std::size_t> order; // evidence columns in the order they were taken
    explicit Header(const std::vector<std::string>& h) : raw(h), used(h.size(), 0) {
        for (const auto& c : h) norm.push_back(normalizeHeader(c));
    }
    int find(std::string_view n) const {
        for (std::size_t i = 0; i < norm.size(); ++i)
            if (norm[i] == n) return static_cast<int>(i);
        return -1;
    }
    bool has(std::string_view n) const { return find(n) >= 0; }
    // Marks the first of `names` present as evidence; true when one is.
    bool take(std::initializer_list<std::string_view> names) {
        for (std::string_view n : names)
            if (const int i = find(n); i >= 0) return mark(static_cast<std::size_t>(i)), true;
        return false;
    }
    void mark(std::size_t i) {
        if (!used[i]) used[i] = 1, order.push_back(i);
    }
    // Columns whose name starts with `prefix` (Pipedrive writes "Person - Name", "Lead - Title").
    int withPrefix(std::string_view prefix, bool record) {
        int n = 0;
        for (std::size_t i = 0; i < norm.size(); ++i)
            if (norm[i].size() > prefix.size() && startsWith(norm[i], prefix)) {
                ++n;
                if (record && n <= 3) mark(i);
            }
        return n;
    }
};

OtherKind make(Header& h, std::string name, std::string why) {
    OtherKind k;
    k.recognised = true;
    k.name = std::move(name);
    k.why = std::move(why);
    for (std::size_t i = 0; i < h.order.size() && k.evidence.size() < 3; ++i) k.evidence.push_back(h.raw[h.order[i]]);
    return k;
}

// A person's name: first and last name columns, or one full-name column of a person.
bool takePerson(Header& h) {
    if (h.has("firstname") && h.has("lastname")) {
        h.take({"firstname"});
        h.take({"lastname"});
        return true;
    }
    return h.take({"contactname", "personname", "leadname"});
}

} // namespace

OtherKind recogniseOtherKind(const std::vector<std::string>& header) {
    // A summary report (Salesforce "OpportunityHistoryGroup", a pivot): a count per group, a few
    // columns, no record id.
    if (Header s(header); header.size() <= 5 && (s.has("count") || s.has("recordcount"))) {
        bool idLike = false;
        for (const auto& n : s.norm) idLike |= n == "id" || (n.size() > 2 && n.ends_with("id"));
        if (!idLike && !kindGuessConfident(guessKinds(header))) {
            for (std::size_t i = 0; i < s.norm.size() && s.order.empty(); ++i)
                if (s.norm[i] != "count" && s.norm[i] != "recordcount") s.mark(i); // the group
            s.take({"count", "recordcount"});
            return make(s, "a summary report", "counts per group, not records (Terrane reads the records it summarises)");
        }
    }
    Header h(header);
    // CRM users (Salesforce User): logins with profiles, locales and time zones.
    if (h.has("username") && h.take({"profileid", "usertype", "alias", "communitynickname", "timezonesidkey", "localesidkey",
                                     "languagelocalekey", "emailencodingkey", "lastlogindate", "federationidentifier", "userroleid"})) {
        h.take({"username"});
        return make(h, "users", "Terrane does not plan with CRM users (import your sales team as reps)");
    }
    const bool person = takePerson(h);
    // Leads: converted flags and lead owners are theirs alone (Salesforce Lead, Zoho Leads).
    if (person && h.take({"isconverted", "converteddate", "convertedaccountid", "convertedcontactid", "leadid", "leadowner"}))
        return make(h, "leads", "Terrane does not plan with leads");
    if (h.withPrefix("lead", false) >= 3 && h.has("leadowner")) {
        h.withPrefix("lead", true);
        return make(h, "leads", "Terrane does not plan with leads");
    }
    // Pipedrive persons ("Person - Name", "Person - Email", "Person - Organization").
    if (h.withPrefix("person", false) >= 2) {
        h.withPrefix("person", true);
        return make(h, "contacts", "Terrane does not plan with contacts");
    }
    // Pipedrive activities; Salesforce Task and Event; HubSpot tasks and meetings.
    if (h.withPrefix("activity", false) >= 2 && !h.has("opportunityid") && !h.has("dealid")) {
        h.withPrefix("activity", true);
        return make(h, "tasks and events", "Terrane does not plan with activities");
    }
    if (h.take({"taskid", "eventid", "activityid"}) ||
        (h.has("subject") && h.take({"whoid", "whatid", "activitydate", "tasksubtype", "eventsubtype", "startdatetime", "isalldayevent",
                                     "durationinminutes", "calldurationinseconds", "duedate", "taskpriority"}))) {
        h.take({"subject"});
        return make(h, "tasks and events", "Terrane does not plan with activities");
    }
    // Support cases and tickets (Salesforce Case, HubSpot tickets, Zendesk).
    if (h.take({"casenumber", "caseid", "ticketid", "ticketname", "ticketstatus"}) ||
        (h.has("subject") && h.has("priority") && h.take({"origin", "caseorigin", "suppliedemail", "isescalated"}))) {
        h.take({"subject", "priority"});
        return make(h, "cases", "Terrane does not plan with support cases");
    }
    // Campaigns: costs, responses and leads per campaign.
    if ((h.take({"campaignname"}) || h.has("name") || h.has("campaign")) &&
        h.take({"budgetedcost", "actualcost", "numberofleads", "numberofresponses", "numbersent", "expectedresponse", "numberofcontacts",
                "numberofconvertedleads", "campaignmemberrecordtypeid"})) {
        h.take({"campaign", "name"});
        return make(h, "campaigns", "Terrane does not plan with campaigns");
    }
    if (!person) return {};
    // Contacts: people at an account, with a contact owner or a mailing address.
    if (h.take({"contactid", "contactowner", "accountid", "accountname", "associatedcompany", "associatedcompanyid", "reportstoid",
                "mailingstreet", "mailingcity", "mailingpostalcode", "mailingcountry", "birthdate", "department", "lifecyclestage",
                "organization", "organisation"})) {
        h.take({"email", "emailaddress"});
        return make(h, "contacts", "Terrane does not plan with contacts");
    }
    // Leads by their status or source at a company (HubSpot and hand-made lead lists).
    if (h.has("company") && h.take({"leadstatus", "leadsource", "status", "rating", "leadscore"}))
        return make(h, "leads", "Terrane does not plan with leads");
    // Anyone else with a name and an email or phone is a contact unless the header reads as a
    // planning dataset (a reps file with names and emails).
    if (h.take({"email", "emailaddress", "phone", "phonenumber", "mobilephone", "mobile"})) {
        const auto ranked = guessKinds(header);
        if (!ranked.empty() && ranked[0].score > 0 && ranked[0].distinctive >= 1) return {};
        return make(h, "contacts", "Terrane does not plan with contacts");
    }
    return {};
}

std::string otherKindSkipLine(std::string_view fileName, const OtherKind& k) {
    std::string ev;
    for (const auto& e : k.evidence) ev += (ev.empty() ? "" : ", ") + e;
    if (!ev.empty()) ev = " (" + ev + ", \xE2\x80\xA6)";
    return std::string(fileName) + ": " + k.name + ev + " \xE2\x80\x94 " + k.why + "; skipped";
}

} // namespace terrane
