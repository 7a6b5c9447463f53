// Sample workspace generator.
//
// Index
//  [SECTION] vocabularies   names, industries, regions
//  [SECTION] reps           seats, home bases, districts, ramping hires and vacancies
//  [SECTION] accounts       locations, firmographics, potential, customers, current assignment
//  [SECTION] opportunities  stage paths and their history: pushes, quarter-end wins, rep skill
//  [SECTION] csv            writing tables
#include "core/scenario/sample.hpp"

#include "core/io/csv.hpp"
#include "core/geo/geo.hpp"
#include "core/base/rng.hpp"
#include "core/data/schema.hpp"
#include "core/base/text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace terrane {

namespace {

// [SECTION] vocabularies
constexpr std::string_view kRegions[] = {"West", "Central", "Northeast", "Southeast"};

int regionOfState(std::string_view st) {
    static constexpr std::string_view kWest[] = {"WA", "OR", "CA", "NV", "ID", "MT", "WY", "UT", "CO", "AZ", "NM", "AK", "HI"};
    static constexpr std::string_view kCentral[] = {"ND", "SD", "NE", "KS", "OK", "TX", "MN", "IA",
                                                    "MO", "AR", "LA", "WI", "IL", "MI", "IN", "OH"};
    static constexpr std::string_view kNortheast[] = {"ME", "NH", "VT", "MA", "RI", "CT", "NY", "NJ", "PA", "DE", "MD", "DC"};
    for (auto s : kWest)
        if (s == st) return 0;
    for (auto s : kCentral)
        if (s == st) return 1;
    for (auto s : kNortheast)
        if (s == st) return 2;
    return 3;
}

constexpr std::string_view kFirstNames[] = {
    "James", "Maria", "Robert", "Linda", "Michael", "Priya", "David", "Aisha", "Daniel", "Sofia", "Kevin", "Emily",
    "Jose", "Hannah", "Brian", "Grace", "Marcus", "Olivia", "Wei", "Chloe", "Andre", "Fatima", "Ryan", "Megan",
    "Carlos", "Rachel", "Tom", "Nina", "Samuel", "Leah", "Ethan", "Zoe", "Omar", "Julia", "Lucas", "Ava",
    "Noah", "Mia", "Derek", "Keisha", "Hiro", "Isabel", "Connor", "Amara", "Victor", "Erin", "Raj", "Tessa"};
constexpr std::string_view kLastNames[] = {
    "Smith", "Garcia", "Johnson", "Nguyen", "Williams", "Patel", "Brown", "Kim", "Jones", "Martinez", "Miller",
    "Chen", "Davis", "Lopez", "Wilson", "Okafor", "Anderson", "Singh", "Taylor", "Rossi", "Thomas", "Cohen",
    "Moore", "Hernandez", "Jackson", "Walker", "White", "Young", "Harris", "Clark", "Lewis", "Robinson",
    "Hall", "Allen", "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell",
    "Carter", "Roberts", "Murphy", "Rivera", "Cooper"};
constexpr std::string_view kNameAdj[] = {
    "Blue", "Summit", "Pioneer", "Golden", "Northern", "Silver", "Granite", "Cedar", "Atlas", "Bright", "Harbor",
    "Liberty", "Evergreen", "Keystone", "Pacific", "Prairie", "Red Rock", "Iron", "Crescent", "Frontier",
    "Sterling", "Lakeside", "Union", "Eagle", "Oak", "Beacon", "Canyon", "Meridian", "Apex", "Riverbend"};
constexpr std::string_view kNameNoun[] = {
    "Systems", "Logistics", "Health", "Foods", "Analytics", "Manufacturing", "Capital", "Labs", "Energy",
    "Networks", "Partners", "Supply", "Dynamics", "Solutions", "Industries", "Media", "Retail", "Design",
    "Robotics", "Pharma", "Builders", "Software", "Freight", "Clinics", "Insurance", "Outfitters", "Telecom",
    "Materials", "Brands", "Ventures"};
constexpr std::string_view kTechRoots[] = {"Data", "Cloud", "Quant", "Nova", "Vert", "Lumi", "Zen", "Opti", "Syn", "Tera",
                                           "Omni", "Flux", "Hexa", "Kine", "Velo", "Cogni", "Aero", "Bio", "Nex", "Sona"};
constexpr std::string_view kTechSuffixes[] = {"ly", "ify", "nex", "io", "ware", "sys", "gen", "tek", "iq", "base"};
constexpr std::string_view kLegal[] = {"Inc", "LLC", "Corp", "Co", "Group", "Holdings", "Ltd", "", "", ""};

struct Industry {
    std::string_view name;
    double weight;
    double revenuePerEmployee; // dollars
    double propensity;         // relative spend on our product
};
constexpr Industry kIndustries[] = {
    {"Technology", 14, 320000, 1.3},         {"Financial Services", 10, 450000, 1.2},
    {"Healthcare", 11, 160000, 0.9},         {"Manufacturing", 13, 280000, 0.8},
    {"Retail", 10, 190000, 0.6},             {"Professional Services", 12, 170000, 1.0},
    {"Education", 5, 90000, 0.5},            {"Government", 3, 120000, 0.5},
    {"Energy", 4, 650000, 0.7},              {"Media", 4, 260000, 0.9},
    {"Transportation", 5, 210000, 0.6},      {"Real Estate", 4, 300000, 0.5},
    {"Hospitality", 3, 80000, 0.4},          {"Construction", 5, 230000, 0.5},
    {"Telecommunications", 2, 500000, 1.1},
};
constexpr std::string_view kProducts[] = {"Platform", "Analytics", "Platform", "Services", "Add-on Seats"};
constexpr std::string_view kNextSteps[] = {"Send proposal", "Legal review", "Exec sponsor call", "Security questionnaire",
                                           "Pricing approval", "Demo for stakeholders", "Procurement paperwork",
                                           "Follow-up meeting"};

std::string padId(char prefix, std::size_t n, int width) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%c%0*zu", prefix, width, n);
    return buf;
}

template <class T, std::size_t N> std::string_view pick(Rng& rng, const T (&arr)[N]) { return arr[rng.below(N)]; }

std::string personName(Rng& rng) {
    std::string n(pick(rng, kFirstNames));
    n += " ";
    n += pick(rng, kLastNames);
    return n;
}

std::string companyName(Rng& rng, std::string_view city) {
    // Each draw is its own statement: the order of evaluation of operands of + is unspecified,
    // and gcc and clang differ, which would make native and wasm names differ.
    std::string n;
    switch (rng.below(6)) {
    case 0:
    case 1: {
        n = pick(rng, kNameAdj);
        n += " ";
        n += pick(rng, kNameNoun);
        break;
    }
    case 2: {
        n = pick(rng, kLastNames);
        n += " & ";
        n += pick(rng, kLastNames);
        break;
    }
    case 3:
        n = std::string(city) + " ";
        n += pick(rng, kNameNoun);
        break;
    default:
        n = pick(rng, kTechRoots);
        n += pick(rng, kTechSuffixes);
        break;
    }
    const std::string_view legal = pick(rng, kLegal);
    if (!legal.empty()) n += (legal == "Co" ? " & " : " ") + std::string(legal);
    return n;
}

Money roundTo(double dollars, double unit) {
    const double r = std::floor(dollars / unit + 0.5) * unit;
    return static_cast<Money>(r) * 100;
}

// Squared planar distance (km^2) with a fixed cosine of the reference latitude; portable.
double dist2(double lat0, double lon0, double lat1, double lon1, double cosLat) {
    const double dy = (lat1 - lat0) * 111.2, dx = (lon1 - lon0) * 111.2 * cosLat;
    return dx * dx + dy * dy;
}

struct RepSeat {
    std::string id, name, role, manager, territoryId, territoryName, homeCity, homeState;
    double lat = 0, lon = 0;
    int region = 0, district = 0;
    Date start = kDateNull;
    double capacity = 1.0;
    bool vacant = false;
};

double rampFactor(Date start, Date planStart) {
    if (start == kDateNull) return 0.0;
    const int months = (planStart - start) / 30;
    if (months < 3) return 0.25;
    if (months < 6) return 0.5;
    if (months < 9) return 0.75;
    return 1.0;
}

} // namespace

void generateSample(const SampleOptions& opt, Workspace& ws) {
    if (opt.accounts < 1) throw std::invalid_argument("the sample needs at least 1 account");
    if (opt.reps < 4) throw std::invalid_argument("the sample needs at least 4 reps (one per region)");
    const Gazetteer& gaz = Gazetteer::builtIn();
    ws = Workspace();
    ws.name = "Sample workspace (seed " + std::to_string(opt.seed) + ")";
    StringPool& pool = *ws.pool;
    const Date planStart = daysFromCivil(civilFromDays(opt.asOf).year + 1, 1, 1);

    // Region of every ZIP and the population weight of each region.
    const auto zips = gaz.zips();
    std::vector<int> zipRegion(zips.size());
    double regionWeight[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < zips.size(); ++i) {
        zipRegion[i] = regionOfState(gaz.states()[zips[i].state].code);
        regionWeight[zipRegion[i]] += zips[i].weight;
    }

    // [SECTION] reps
    Rng repRng(opt.seed, 11);
    const std::size_t K = opt.reps;
    std::size_t perRegion[4] = {1, 1, 1, 1};
    {
        // Largest remainder on the seats beyond the first per region.
        const double total = regionWeight[0] + regionWeight[1] + regionWeight[2] + regionWeight[3];
        const std::size_t extra = K - 4;
        double rem[4];
        std::size_t given = 0;
        for (int r = 0; r < 4; ++r) {
            const double share = static_cast<double>(extra) * regionWeight[r] / total;
            perRegion[r] += static_cast<std::size_t>(share);
            given += static_cast<std::size_t>(share);
            rem[r] = share - std::floor(share);
        }
        while (given < extra) {
            int best = 0;
            for (int r = 1; r < 4; ++r)
                if (rem[r] > rem[best]) best = r;
            ++perRegion[best];
            rem[best] = -1;
            ++given;
        }
    }
    // Home-base candidates: US cities of 30k+ inhabitants per region, weighted by population^0.6.
    std::vector<std::vector<const CityInfo*>> regionCities(4);
    for (const CityInfo& c : gaz.cities()) {
        if (std::string_view(c.country, 2) != "US" || c.population < 30000) continue;
        if (!gaz.stateByCode(c.admin)) continue;
        regionCities[regionOfState(c.admin)].push_back(&c);
    }
    std::vector<RepSeat> seats;
    seats.reserve(K);
    for (int r = 0; r < 4; ++r) {
        auto& cand = regionCities[r];
        std::vector<double> w;
        for (const CityInfo* c : cand) w.push_back(detPow(static_cast<double>(c->population), 0.6));
        std::vector<RepSeat> regionSeats;
        for (std::size_t i = 0; i < perRegion[r]; ++i) {
            // Sample without replacement while cities remain, then with replacement.
            double total = 0;
            for (double x : w) total += x;
            std::size_t idx = 0;
            if (total > 0) {
                double u = repRng.uniform() * total;
                while (idx + 1 < w.size() && u >= w[idx]) u -= w[idx++];
            } else {
                idx = repRng.below(static_cast<std::uint32_t>(cand.size()));
            }
            if (total > 0 && cand.size() > perRegion[r]) w[idx] = 0;
            RepSeat s;
            s.region = r;
            s.homeCity = cand[idx]->name;
            s.homeState = cand[idx]->admin;
            s.lat = cand[idx]->lat;
            s.lon = cand[idx]->lon;
            s.role = "AE";
            const double tenureYears = std::min(12.0, repRng.lognormal(detLog(3.0), 0.6));
            s.start = opt.asOf - static_cast<Date>(tenureYears * 365.25);
            s.name = personName(repRng);
            regionSeats.push_back(std::move(s));
        }
        // Districts of about six seats, split west to east.
        std::stable_sort(regionSeats.begin(), regionSeats.end(), [](const RepSeat& a, const RepSeat& b) { return a.lon < b.lon; });
        const std::size_t nd = std::max<std::size_t>(1, (regionSeats.size() + 3) / 6);
        for (std::size_t i = 0; i < regionSeats.size(); ++i) regionSeats[i].district = static_cast<int>(i * nd / regionSeats.size());
        for (auto& s : regionSeats) seats.push_back(std::move(s));
    }
    // Two ramping new hires and two vacant seats (fewer in tiny teams).
    const std::size_t specials = K >= 8 ? 2 : 1;
    for (std::size_t i = 0; i < specials; ++i) {
        RepSeat& hire = seats[(i * 2 + 1) * K / (specials * 2 + 2) % K];
        hire.start = opt.asOf - static_cast<Date>(30 + 45 * i + repRng.below(20));
        hire.role = "AE";
        RepSeat& vac = seats[(i * 2 + 2) * K / (specials * 2 + 2) % K];
        if (&vac == &hire) continue;
        vac.vacant = true;
        vac.start = kDateNull;
    }
    // Ids, managers, territory names (home city, numbered when a city repeats).
    std::unordered_map<std::string, int> cityUses;
    std::vector<std::string> districtManagers;
    std::vector<std::string> districtIds, districtNames;
    std::unordered_map<int, int> districtIndex; // region*100+district -> index
    for (std::size_t i = 0; i < seats.size(); ++i) {
        RepSeat& s = seats[i];
        s.id = padId('R', i + 1, 4);
        s.territoryId = padId('T', i + 1, 4);
        const int uses = ++cityUses[s.homeCity + "|" + s.homeState];
        s.territoryName = s.homeCity + (uses > 1 ? " " + std::to_string(uses) : "");
        const int key = s.region * 100 + s.district;
        if (!districtIndex.count(key)) {
            districtIndex[key] = static_cast<int>(districtIds.size());
            districtIds.push_back("D-" + toLower(kRegions[s.region]).substr(0, 4) + "-" + std::to_string(s.district + 1));
            districtNames.push_back(std::string(kRegions[s.region]) + " - " + s.homeCity);
            districtManagers.push_back(personName(repRng));
        }
        s.manager = districtManagers[static_cast<std::size_t>(districtIndex[key])];
        s.capacity = s.vacant ? 0.0 : rampFactor(s.start, planStart);
        if (s.vacant) s.name = "TBH - " + s.territoryName;
    }

    // Reps table.
    {
        Table& t = ws.reps();
        t.resize(seats.size());
        auto S = [&](const char* c) -> Column& { return *t.find(c); };
        for (std::size_t i = 0; i < seats.size(); ++i) {
            const RepSeat& s = seats[i];
            const int d = districtIndex[s.region * 100 + s.district];
            S("rep_id").ids()[i] = pool.intern(s.id);
            S("name").ids()[i] = pool.intern(s.name);
            S("role").ids()[i] = pool.intern(s.role);
            S("manager").ids()[i] = pool.intern(s.manager);
            S("region").ids()[i] = pool.intern(kRegions[s.region]);
            S("district").ids()[i] = pool.intern(districtNames[static_cast<std::size_t>(d)]);
            S("territory").ids()[i] = pool.intern(s.territoryId);
            S("home_city").ids()[i] = pool.intern(s.homeCity);
            S("home_state").ids()[i] = pool.intern(s.homeState);
            S("home_lat").f64()[i] = s.lat;
            S("home_lon").f64()[i] = s.lon;
            S("start_date").i64()[i] = s.start == kDateNull ? kI64Null : s.start;
            S("capacity").f64()[i] = s.capacity;
            S("vacant").u8()[i] = s.vacant ? 1 : 0;
        }
    }
    // Territories table: regions, districts, territories.
    {
        Table& t = ws.territories();
        auto add = [&](std::string_view id, std::string_view name, std::string_view level, std::string_view parent, std::string_view owner) {
            const std::size_t r = t.rows();
            t.resize(r + 1);
            t.find("territory_id")->ids()[r] = pool.intern(id);
            t.find("name")->ids()[r] = pool.intern(name);
            t.find("level")->ids()[r] = pool.intern(level);
            t.find("parent_id")->ids()[r] = pool.intern(parent);
            t.find("owner")->ids()[r] = pool.intern(owner);
        };
        for (int r = 0; r < 4; ++r) add("R-" + toLower(kRegions[r]), kRegions[r], "region", "", "");
        for (std::size_t d = 0; d < districtIds.size(); ++d) {
            // The region of a district is encoded in its id ("D-west-1").
            int region = 0;
            for (int r = 0; r < 4; ++r)
                if (districtIds[d].compare(2, 4, toLower(kRegions[r]).substr(0, 4)) == 0) region = r;
            add(districtIds[d], districtNames[d], "district", "R-" + toLower(kRegions[region]), "");
        }
        for (const RepSeat& s : seats) {
            const int d = districtIndex[s.region * 100 + s.district];
            add(s.territoryId, s.territoryName, "territory", districtIds[static_cast<std::size_t>(d)], s.id);
        }
    }

    // [SECTION] accounts
    const std::size_t N = opt.accounts;
    Table& acc = ws.accounts();
    acc.resize(N);
    {
        std::vector<double> zw(zips.size());
        for (std::size_t i = 0; i < zips.size(); ++i) zw[i] = zips[i].weight;
        AliasTable zipTable(zw);
        std::vector<double> iw;
        for (const Industry& in : kIndustries) iw.push_back(in.weight);
        AliasTable industryTable(iw);
        // Seats by region for the existing (nearest home base) assignment.
        std::vector<std::vector<std::size_t>> regionSeats(4);
        for (std::size_t i = 0; i < seats.size(); ++i) regionSeats[seats[i].region].push_back(i);

        Rng rng(opt.seed, 23);
        std::vector<std::uint32_t> accZip(N);
        std::vector<std::int32_t> legacy(N, -1);
        auto C = [&](const char* c) -> Column& { return *acc.find(c); };
        Column &cId = C("account_id"), &cName = C("name"), &cLat = C("lat"), &cLon = C("lon"), &cPost = C("postcode"),
               &cCity = C("city"), &cState = C("state"), &cCountry = C("country"), &cSeg = C("segment"),
               &cInd = C("industry"), &cEmp = C("employees"), &cRev = C("revenue"), &cPot = C("potential"),
               &cArr = C("arr"), &cWork = C("workload"), &cTier = C("tier"), &cOwner = C("owner"),
               &cTer = C("territory"), &cLock = C("locked");
        const std::uint32_t us = pool.intern("US");
        const std::uint32_t segIds[3] = {pool.intern("Enterprise"), pool.intern("Mid-Market"), pool.intern("SMB")};
        const std::uint32_t tierIds[4] = {pool.intern("A"), pool.intern("B"), pool.intern("C"), pool.intern("D")};
        std::vector<std::uint32_t> industryIds, seatIds, seatTerIds;
        for (const Industry& in : kIndustries) industryIds.push_back(pool.intern(in.name));
        for (const RepSeat& s : seats) {
            seatIds.push_back(pool.intern(s.id));
            seatTerIds.push_back(pool.intern(s.territoryId));
        }
        for (std::size_t i = 0; i < N; ++i) {
            const std::uint32_t zi = zipTable.sample(rng);
            const ZipInfo& z = zips[zi];
            const int region = zipRegion[zi];
            const std::string& place = gaz.placeName(z.place);
            cId.ids()[i] = pool.intern(padId('A', i + 1, 7));
            cLat.f64()[i] = z.lat;
            cLon.f64()[i] = z.lon;
            cPost.ids()[i] = pool.intern(gaz.zipString(z));
            cCity.ids()[i] = pool.intern(place);
            cState.ids()[i] = pool.intern(gaz.states()[z.state].code);
            cCountry.ids()[i] = us;
            cName.ids()[i] = pool.intern(companyName(rng, place));

            const Industry& ind = kIndustries[industryTable.sample(rng)];
            cInd.ids()[i] = industryIds[static_cast<std::size_t>(&ind - kIndustries)];
            const double emp = std::min(400000.0, std::max(1.0, std::floor(rng.lognormal(detLog(60.0), 1.8))));
            cEmp.i64()[i] = static_cast<long long>(emp);
            const int seg = emp >= 1000 ? 0 : emp >= 100 ? 1 : 2;
            cSeg.ids()[i] = segIds[seg];
            const double revenue = emp * ind.revenuePerEmployee * rng.lognormal(0.0, 0.4);
            cRev.i64()[i] = roundTo(revenue, 1000.0);
            // Seats to sell grow slower than headcount in large enterprises (not every employee
            // is a user): 1,000 employees -> 1,000 seats, 100,000 -> about 16,000.
            const double seatsToSell = emp <= 1000 ? emp : 1000.0 * detPow(emp / 1000.0, 0.6);
            const double potential = std::max(2000.0, seatsToSell * 120.0 * ind.propensity * rng.lognormal(0.0, 0.5));
            const Money pot = roundTo(potential, 100.0);
            cPot.i64()[i] = pot;
            static constexpr double kCustomerRate[3] = {0.35, 0.20, 0.10};
            const bool customer = rng.chance(kCustomerRate[seg]);
            cArr.i64()[i] = customer ? roundTo(moneyToMajor(pot) * rng.uniform(0.1, 0.6), 100.0) : 0;
            static constexpr double kHours[3] = {60.0, 24.0, 6.0};
            const double hours = kHours[seg] * (customer ? 1.5 : 1.0) * rng.lognormal(0.0, 0.25);
            cWork.f64()[i] = std::floor(hours * 2.0 + 0.5) / 2.0;
            const double potMajor = moneyToMajor(pot);
            cTier.ids()[i] = tierIds[potMajor >= 250000 ? 0 : potMajor >= 50000 ? 1 : potMajor >= 10000 ? 2 : 3];

            // The existing assignment is decided below, per ZIP; draw the legacy owner now so the
            // random stream does not depend on it.
            accZip[i] = zi;
            legacy[i] = rng.chance(0.04) ? static_cast<std::int32_t>(rng.below(static_cast<std::uint32_t>(regionSeats[region].size()))) : -1;
            cLock.u8()[i] = (customer && seg == 0 && rng.chance(0.15)) ? 1 : 0;
        }
        // Existing assignment: each ZIP goes to the nearest seat of its region that still has room
        // (at most 1.3x an even share of the region's accounts), ZIPs with the most to lose first:
        // a past planner balanced headcount only, so potential and workload stay unbalanced. 4% of
        // accounts keep a legacy owner elsewhere in the region (enclaves to clean up).
        std::vector<double> zipAccounts(zips.size(), 0.0);
        for (std::size_t i = 0; i < N; ++i) zipAccounts[accZip[i]] += 1.0;
        std::vector<std::int32_t> zipSeat(zips.size(), -1);
        for (int r = 0; r < 4; ++r) {
            const auto& cands = regionSeats[static_cast<std::size_t>(r)];
            struct ZipChoice {
                std::uint32_t zip;
                double regret;
                std::vector<std::pair<double, std::size_t>> order; // (distance^2, seat)
            };
            std::vector<ZipChoice> list;
            double regionAccounts = 0;
            for (std::size_t z = 0; z < zips.size(); ++z) {
                if (zipAccounts[z] <= 0 || zipRegion[z] != r) continue;
                regionAccounts += zipAccounts[z];
                ZipChoice c{static_cast<std::uint32_t>(z), 0.0, {}};
                const double cosLat = detCosDeg(zips[z].lat);
                for (std::size_t s2 : cands) c.order.emplace_back(dist2(zips[z].lat, zips[z].lon, seats[s2].lat, seats[s2].lon, cosLat), s2);
                std::sort(c.order.begin(), c.order.end());
                c.regret = c.order.size() > 1 ? c.order[1].first - c.order[0].first : 0.0;
                list.push_back(std::move(c));
            }
            std::stable_sort(list.begin(), list.end(), [](const ZipChoice& a, const ZipChoice& b) { return a.regret > b.regret; });
            const double cap = 1.3 * regionAccounts / static_cast<double>(cands.size());
            std::vector<double> load(seats.size(), 0.0);
            for (const ZipChoice& c : list) {
                std::size_t pick = c.order.front().second;
                for (const auto& [d, s2] : c.order)
                    if (load[s2] + zipAccounts[c.zip] <= cap) {
                        pick = s2;
                        break;
                    }
                zipSeat[c.zip] = static_cast<std::int32_t>(pick);
                load[pick] += zipAccounts[c.zip];
            }
        }
        for (std::size_t i = 0; i < N; ++i) {
            const int region = zipRegion[accZip[i]];
            const std::size_t seat = legacy[i] >= 0 ? regionSeats[static_cast<std::size_t>(region)][static_cast<std::size_t>(legacy[i])]
                                                    : static_cast<std::size_t>(zipSeat[accZip[i]]);
            cTer.ids()[i] = seatTerIds[seat];
            cOwner.ids()[i] = seatIds[seat];
        }
    }

    // [SECTION] opportunities
    {
        Rng rng(opt.seed, 37);
        // History, pushes, quarter-end timing and rep skill draw from their own stream, so the
        // deals' other fields keep the draws they had before the history existed.
        Rng hrng(opt.seed, 41);
        Table& opp = ws.opportunities();
        auto C = [&](const char* c) -> Column& { return *opp.find(c); };
        Column &oId = C("opportunity_id"), &oAcc = C("account_id"), &oName = C("name"), &oOwner = C("owner"),
               &oStage = C("stage"), &oAmt = C("amount"), &oProb = C("probability"), &oCat = C("forecast_category"),
               &oProd = C("product"), &oCreated = C("created_date"), &oClose = C("close_date"),
               &oClosed = C("is_closed"), &oWon = C("is_won"), &oAct = C("last_activity_date"), &oNext = C("next_step");
        Table& hist = ws.table(DatasetKind::StageHistory);
        auto H = [&](const char* c) -> Column& { return *hist.find(c); };
        Column &hId = H("opportunity_id"), &hStage = H("stage"), &hDate = H("date"), &hAmt = H("amount"),
               &hClose = H("close_date"), &hProb = H("probability"), &hCat = H("forecast_category");
        const auto stages = standardStages();
        std::vector<std::uint32_t> stageIds, catIds;
        for (const StageSpec& s : stages) {
            stageIds.push_back(pool.intern(s.name));
            catIds.push_back(pool.intern(s.forecastCategory));
        }
        const std::uint32_t commitId = pool.intern("Commit"), bestCaseId = pool.intern("Best Case");
        static constexpr double kAdvance[5] = {0.62, 0.68, 0.72, 0.76, 0.82}; // stage i -> i+1 (4 -> won)
        static constexpr double kMedianCycle[3] = {150.0, 80.0, 40.0};        // days by segment
        static constexpr double kRate[3] = {1.6, 0.8, 0.3};                    // opportunities per account over the window
        const Date windowStart = opt.asOf - 730;
        const Column &aId = *acc.find("account_id"), &aSeg = *acc.find("segment"), &aPot = *acc.find("potential"),
                     &aArr = *acc.find("arr"), &aOwner = *acc.find("owner"), &aName = *acc.find("name");
        const std::uint32_t entId = *pool.find("Enterprise"), mmId = *pool.find("Mid-Market");
        // Reps better and worse than average: each owner's skill shifts every stage's advance rate.
        auto skillOf = [&](std::uint32_t owner) {
            Rng r(opt.seed ^ StringPool::hashOf(pool.view(owner)), 43);
            return std::clamp(r.normal(0.0, 0.07), -0.14, 0.14);
        };
        std::size_t row = 0;
        opp.reserve(N);
        struct Step {
            Date date;
            int stage;
            Money amount;
            Date close;
            std::uint32_t cat;
        };
        std::vector<Step> steps;
        std::vector<double> entered; // when each stage was entered
        for (std::size_t a = 0; a < N; ++a) {
            const int seg = aSeg.ids()[a] == entId ? 0 : aSeg.ids()[a] == mmId ? 1 : 2;
            const bool customer = aArr.i64()[a] > 0;
            const double skill = skillOf(aOwner.ids()[a]);
            const std::uint32_t count = rng.poisson(kRate[seg] * (customer ? 1.5 : 1.0));
            for (std::uint32_t k = 0; k < count; ++k) {
                opp.resize(row + 1);
                // Creation grows over the window (a growing business): density rises towards today.
                const Date created = windowStart + static_cast<Date>(729.0 * detPow(rng.uniform(), 0.7));
                const double cycle = std::max(7.0, rng.lognormal(detLog(kMedianCycle[seg]), 0.5));
                // Walk the stages; each stage takes a share of the cycle.
                double t = created;
                int stage = 0;
                bool lost = false, finished = false;
                double stageEnd = 0;
                entered.assign(1, t);
                for (;;) {
                    stageEnd = t + cycle * rng.uniform(0.14, 0.34);
                    if (stageEnd > opt.asOf) break; // still in `stage` today
                    if (!rng.chance(std::clamp(kAdvance[stage] + skill, 0.3, 0.95))) {
                        lost = true;
                        finished = true;
                        break;
                    }
                    t = stageEnd;
                    if (++stage == 5) {
                        finished = true;
                        break;
                    }
                    entered.push_back(t);
                }
                const Money amount = std::max<Money>(100000, roundTo(moneyToMajor(aPot.i64()[a]) * rng.uniform(0.08, 0.45), 100.0));
                const std::string_view product = pick(rng, kProducts);
                oId.ids()[row] = pool.intern(padId('O', row + 1, 7));
                oAcc.ids()[row] = aId.ids()[a];
                oName.ids()[row] = pool.intern(std::string(pool.view(aName.ids()[a])) + " - " + std::string(product));
                oOwner.ids()[row] = aOwner.ids()[a];
                oAmt.i64()[row] = amount;
                oProd.ids()[row] = pool.intern(product);
                oCreated.i64()[row] = created;

                // The history: a row at each stage entry, and one each time the rep pushes the close
                // date (when it passes, or now and then at a stage change); the amount firms up at
                // Proposal; the close of a won deal drifts to its quarter's end.
                steps.clear();
                const int lastOpen = finished && !lost ? 4 : stage; // the open stage it ended in
                const Date endOfLife = finished ? static_cast<Date>(lost ? stageEnd : t) : opt.asOf;
                Date close = created + static_cast<Date>(kMedianCycle[seg] * hrng.uniform(0.6, 1.2));
                Money hAmount = std::max<Money>(100000, roundTo(moneyToMajor(amount) * hrng.uniform(0.7, 1.3), 100.0));
                auto catOf = [&](int st) {
                    if (st == 4) return commitId;
                    if (st == 3) return hrng.chance(0.3) ? commitId : bestCaseId;
                    return st == 2 && hrng.chance(0.15) ? bestCaseId : catIds[static_cast<std::size_t>(st)];
                };
                for (int st = 0; st <= lastOpen; ++st) {
                    const Date in = static_cast<Date>(entered[static_cast<std::size_t>(st)]);
                    const Date out = st < lastOpen ? static_cast<Date>(entered[static_cast<std::size_t>(st + 1)]) : endOfLife;
                    if (st == 3) hAmount = amount;
                    if (st > 0 && (close < in + 7 || hrng.chance(0.12))) close = std::max(close, in) + static_cast<Date>(hrng.uniform(10, 45));
                    const std::uint32_t cat = catOf(st);
                    steps.push_back({in, st, hAmount, close, cat});
                    // Pushes while the deal sits in the stage past its close date.
                    while (close < out && hrng.chance(0.7)) {
                        const Date when = close + static_cast<Date>(hrng.below(6));
                        if (when >= out) break;
                        close = when + static_cast<Date>(hrng.uniform(14, 50));
                        steps.push_back({when, st, hAmount, close, cat});
                    }
                }
                if (finished) {
                    Date closeOn = endOfLife;
                    if (!lost) {
                        // Quarter-end: many wins land in the quarter's last days.
                        const Ymd y = civilFromDays(closeOn);
                        const int qm = (y.month - 1) / 3 * 3 + 1;
                        const Date qEnd = addMonths(daysFromCivil(y.year, qm, 1), 3) - 1;
                        if (qEnd - closeOn <= 28 && qEnd <= opt.asOf && hrng.chance(0.5)) closeOn = qEnd - static_cast<Date>(hrng.below(3));
                    }
                    closeOn = std::max(closeOn, steps.back().date);
                    const int si = lost ? 6 : 5;
                    steps.push_back({closeOn, si, amount, closeOn, catIds[static_cast<std::size_t>(si)]});
                    oStage.ids()[row] = stageIds[static_cast<std::size_t>(si)];
                    oCat.ids()[row] = catIds[static_cast<std::size_t>(si)];
                    oProb.f64()[row] = stages[static_cast<std::size_t>(si)].probability;
                    oClose.i64()[row] = closeOn;
                    oClosed.u8()[row] = 1;
                    oWon.u8()[row] = lost ? 0 : 1;
                    oAct.i64()[row] = std::max<Date>(created, closeOn - static_cast<Date>(rng.below(5)));
                } else {
                    oStage.ids()[row] = stageIds[static_cast<std::size_t>(stage)];
                    std::uint32_t cat = catIds[static_cast<std::size_t>(stage)];
                    if (stage == 3 && rng.chance(0.25)) cat = commitId;
                    if (stage == 2 && rng.chance(0.15)) cat = bestCaseId;
                    oCat.ids()[row] = steps.back().cat;
                    (void)cat;
                    oProb.f64()[row] = stages[static_cast<std::size_t>(stage)].probability;
                    // The rep's expected close as the history left it; some are already past.
                    (void)rng.uniform(0.7, 1.4);
                    oClose.i64()[row] = steps.back().close;
                    oAmt.i64()[row] = steps.back().amount;
                    oClosed.u8()[row] = 0;
                    oWon.u8()[row] = 0;
                    const double quiet = rng.chance(0.12) ? rng.uniform(30, 90) : rng.uniform(0, 14);
                    oAct.i64()[row] = std::max<Date>(created, opt.asOf - static_cast<Date>(quiet));
                    if (stage >= 3 && rng.chance(0.85)) oNext.ids()[row] = pool.intern(pick(rng, kNextSteps));
                }
                const std::size_t h0 = hist.rows();
                hist.resize(h0 + steps.size());
                for (std::size_t i = 0; i < steps.size(); ++i) {
                    const Step& st = steps[i];
                    hId.ids()[h0 + i] = oId.ids()[row];
                    hStage.ids()[h0 + i] = stageIds[static_cast<std::size_t>(st.stage)];
                    hDate.i64()[h0 + i] = st.date;
                    hAmt.i64()[h0 + i] = st.amount;
                    hClose.i64()[h0 + i] = st.close;
                    hProb.f64()[h0 + i] = stages[static_cast<std::size_t>(st.stage)].probability;
                    hCat.ids()[h0 + i] = st.cat;
                }
                ++row;
            }
        }
    }
    ws.rebuildBaseline();
}

// [SECTION] csv
std::string tableToCsv(const Table& table, DatasetKind kind) {
    std::vector<int> order;
    for (const FieldSpec& f : fieldsOf(kind))
        if (int i = table.indexOf(f.name); i >= 0) order.push_back(i);
    for (std::size_t i = 0; i < table.columnCount(); ++i)
        if (!findField(kind, table.column(i).name())) order.push_back(static_cast<int>(i));
    std::string out;
    out.reserve(table.rows() * order.size() * 10 + 64);
    CsvWriter w(out);
    for (int i : order) w.field(table.column(static_cast<std::size_t>(i)).name());
    w.endRow();
    const StringPool& pool = table.pool();
    for (std::size_t r = 0; r < table.rows(); ++r) {
        for (int i : order) {
            const Column& c = table.column(static_cast<std::size_t>(i));
            // Typed values (numbers, money, dates, flags) are written as formatted; text is defused.
            if (c.type() == ColumnType::String) w.field(c.format(r, pool));
            else w.number(c.format(r, pool));
        }
        w.endRow();
    }
    return out;
}

} // namespace terrane
