// CLI command registry: each command file registers itself with a static Command object.
#pragma once

#include <string>
#include <vector>

namespace terrane::cli {

using CommandFn = int (*)(int argc, char** argv); // argv[0] is the program, argv[1] the command

struct Command {
    Command(const char* name, const char* usage, const char* summary, CommandFn fn);
    const char* name;
    const char* usage;
    const char* summary;
    CommandFn fn;
};

const std::vector<const Command*>& commands();

} // namespace terrane::cli
