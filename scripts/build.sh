#!/usr/bin/env bash
# Builds Terrane. Usage: scripts/build.sh [native|web|fuzz|all]   (default: all = native + web)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$TERRANE_ROOT"
jobs=$(nproc)
build() {
  local preset=$1
  shift
  if [ ! -f "build/$preset/build.ninja" ]; then cmake --preset "$preset" >/dev/null; fi
  cmake --build --preset "$preset" -j "$jobs" "$@"
}
# The fuzz preset builds only its fuzz targets (not a second CLI and test binary with clang).
fuzz_targets() {
  local t=()
  for src in tests/fuzz/fuzz_*.cpp; do t+=(--target "$(basename "$src" .cpp)"); done
  echo "${t[@]}"
}
case "${1:-all}" in
  native) build native ;;
  web) build web ;;
  # shellcheck disable=SC2046
  fuzz) build fuzz $(fuzz_targets) ;;
  all) build native; build web ;;
  *) echo "usage: scripts/build.sh [native|web|fuzz|all]" >&2; exit 2 ;;
esac
