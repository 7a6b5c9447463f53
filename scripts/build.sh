#!/usr/bin/env bash
# Builds Terrane. Usage: scripts/build.sh [native|web|fuzz|all]   (default: all = native + web)
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$TERRANE_ROOT"
jobs=$(nproc)
build() {
  local preset=$1
  if [ ! -f "build/$preset/build.ninja" ]; then cmake --preset "$preset" >/dev/null; fi
  cmake --build --preset "$preset" -j "$jobs"
}
case "${1:-all}" in
  native) build native ;;
  web) build web ;;
  fuzz) build fuzz ;;
  all) build native; build web ;;
  *) echo "usage: scripts/build.sh [native|web|fuzz|all]" >&2; exit 2 ;;
esac
