#!/usr/bin/env bash
# Runs every test of Terrane: unit tests (doctest via CTest), browser tests (headless Chromium
# on the built page) and bounded fuzzing of the parsers. Sets up and builds first if needed.
# Ends with one line: "total: N passed, N failed". Exit status 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh || exit 1
source scripts/env.sh
./scripts/build.sh native || exit 1
./scripts/build.sh web || exit 1
log_dir=$(mktemp -d)
passed=0
failed=0

echo "== unit tests (ctest)"
ctest --test-dir build/native -j "$(nproc)" --output-on-failure 2>&1 | tee "$log_dir/unit.log"
line=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$log_dir/unit.log" | tail -1)
if [ -n "$line" ]; then
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  nfail=$(sed -E 's/.*passed, ([0-9]+) tests failed.*/\1/' <<<"$line")
  passed=$((passed + total - nfail)); failed=$((failed + nfail))
else
  echo "unit tests did not report"; failed=$((failed + 1))
fi

echo "== browser tests (headless Chromium)"
node --test --test-concurrency=1 --test-reporter=tap tests/browser/ 2>&1 | tee "$log_dir/browser.log" | grep -E "^(not )?ok |^# (pass|fail)|^  *(error|expected|actual):" || true
bp=$(grep -E "^# pass [0-9]+" "$log_dir/browser.log" | tail -1 | awk '{print $3}')
bf=$(grep -E "^# fail [0-9]+" "$log_dir/browser.log" | tail -1 | awk '{print $3}')
if [ -n "$bp" ]; then passed=$((passed + bp)); failed=$((failed + ${bf:-0})); else echo "browser tests did not report"; failed=$((failed + 1)); fi

if compgen -G "tests/fuzz/fuzz_*.cpp" >/dev/null; then
  echo "== fuzzing (libFuzzer, ${FUZZ_SECONDS:-20} s per target)"
  if ./scripts/build.sh fuzz >"$log_dir/fuzz-build.log" 2>&1; then
    for src in tests/fuzz/fuzz_*.cpp; do
      name=$(basename "$src" .cpp)
      corpus="$log_dir/corpus-$name"
      mkdir -p "$corpus"
      seeds=()
      [ -d "tests/fuzz/corpus/$name" ] && seeds+=("tests/fuzz/corpus/$name")
      [ -d tests/data/nasty ] && seeds+=(tests/data/nasty)
      if "build/fuzz/$name" -max_total_time="${FUZZ_SECONDS:-20}" -rss_limit_mb=4096 -timeout=10 \
          -artifact_prefix="$log_dir/" "$corpus" "${seeds[@]}" >"$log_dir/$name.log" 2>&1; then
        echo "ok $name ($(grep -Eo '#[0-9]+' "$log_dir/$name.log" | tail -1 | tr -d '#') runs)"
        passed=$((passed + 1))
      else
        echo "not ok $name"; tail -40 "$log_dir/$name.log"; failed=$((failed + 1))
      fi
    done
  else
    echo "not ok fuzz build"; tail -40 "$log_dir/fuzz-build.log"; failed=$((failed + 1))
  fi
fi

echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
