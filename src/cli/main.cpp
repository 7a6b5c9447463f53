// terrane: the headless face of the model. `terrane <command> [options]`; see `terrane help`.
#include "cli/args.hpp"
#include "cli/command.hpp"
#include "core/base/version.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

namespace terrane::cli {

namespace {
std::vector<const Command*>& registry() {
    static std::vector<const Command*> r;
    return r;
}
} // namespace

Command::Command(const char* n, const char* u, const char* s, CommandFn f) : name(n), usage(u), summary(s), fn(f) {
    registry().push_back(this);
}

const std::vector<const Command*>& commands() { return registry(); }

} // namespace terrane::cli

namespace {
void printHelp(std::FILE* out) {
    std::fprintf(out, "terrane %s - sales territory, quota and forecast planning\n\nUsage: terrane <command> [options]\n\nCommands:\n",
                 terrane::kVersion);
    auto cmds = terrane::cli::commands();
    std::sort(cmds.begin(), cmds.end(), [](auto* a, auto* b) { return std::strcmp(a->name, b->name) < 0; });
    for (const auto* c : cmds) std::fprintf(out, "  %-12s %s\n", c->name, c->summary);
    std::fprintf(out, "\nRun `terrane help <command>` for a command's options. Exit codes: 0 ok, 1 bad input, 2 bad usage, 3 file skipped\n(it holds CRM data Terrane does not plan with, such as contacts or leads).\n");
}
} // namespace

int main(int argc, char** argv) {
    using namespace terrane::cli;
    if (argc < 2) {
        printHelp(stderr);
        return 2;
    }
    const std::string cmd = argv[1];
    if (cmd == "--version" || cmd == "version") {
        std::printf("terrane %s\n", terrane::kVersion);
        return 0;
    }
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        if (argc >= 3) {
            for (const auto* c : commands())
                if (argv[2] == std::string(c->name)) {
                    std::printf("Usage: terrane %s %s\n\n%s\n", c->name, c->usage, c->summary);
                    return 0;
                }
        }
        printHelp(stdout);
        return 0;
    }
    for (const auto* c : commands()) {
        if (cmd != c->name) continue;
        try {
            return c->fn(argc, argv);
        } catch (const UsageError& e) {
            std::fprintf(stderr, "terrane %s: %s\nUsage: terrane %s %s\n", c->name, e.what(), c->name, c->usage);
            return 2;
        } catch (const InputError& e) {
            std::fprintf(stderr, "terrane %s: %s\n", c->name, e.what());
            return 1;
        } catch (const std::exception& e) {
            std::fprintf(stderr, "terrane %s: %s\n", c->name, e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "terrane: unknown command '%s'\n\n", cmd.c_str());
    printHelp(stderr);
    return 2;
}
