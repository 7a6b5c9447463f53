// terrane instance: writes a planar territory-design benchmark instance (accounts.csv with x, y
// and activities a1..a3, edges.csv with its Delaunay edges) for `terrane balance --edges`.
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "cli/load.hpp"
#include "core/territory/design_instance.hpp"

#include <cstdio>
#include <filesystem>

namespace terrane::cli {
namespace {

int run(int argc, char** argv) {
    Args a(argc, argv, 2, {});
    a.allowOnly({"out", "units", "seed"});
    const std::string dir = a.required("out");
    const long long units = a.integer("units", 600);
    const long long seed = a.integer("seed", 1);
    if (units < 3 || units > 1000000) throw UsageError("--units must be between 3 and 1000000");
    if (seed < 0) throw UsageError("--seed must be a non-negative whole number");
    const auto d = territory::generateDesignInstance(static_cast<std::size_t>(units), static_cast<std::uint64_t>(seed));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    writeFile(dir + "/accounts.csv", territory::designAccountsCsv(d));
    writeFile(dir + "/edges.csv", territory::designEdgesCsv(d));
    std::fprintf(stderr, "%lld units, %zu edges written to %s\n", units, d.edgeA.size(), dir.c_str());
    return 0;
}

const Command kCmd("instance", "--out DIR [--units N] [--seed S]",
                   "Write a planar territory-design benchmark instance (units, activities, Delaunay edges)", &run);

} // namespace
} // namespace terrane::cli
