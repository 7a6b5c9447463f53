# Sourced by the build scripts: toolchain environment.
# Emscripten's JS optimiser needs Debian's acorn.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"
export TERRANE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
