// CLI command registry: each command file registers itself with a static Command object.
#pragma once

#include <string>
#include <vector>

namespace terrane::cli {

using CommandFn = int (*)(int argc, char** argv); // argv[0] is the program, argv[1] the command

// Exit statuses: 0 ok, 1 bad input (InputError), 2 bad usage (UsageError), and 3 when a file was
// skipped because it holds data Terrane does not plan with (contacts, leads, ...): not an error
// in the file, but nothing was imported.
inline constexpr int kExitSkipped = 3;

struct Command {
    Command(const char* name, const char* usage, const char* summary, CommandFn fn);
    const char* name;
    const char* usage;
    const char* summary;
    CommandFn fn;
};

const std::vector<const Command*>& commands();

} // namespace terrane::cli
