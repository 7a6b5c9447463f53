#!/usr/bin/env bash
# Sets up if needed, builds the page and serves it on http://127.0.0.1:8080 (PORT to change).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh web
./scripts/build.sh native
exec node scripts/serve.mjs build/web/site "${PORT:-8080}"
