#!/usr/bin/env bash
# Runs every test of the project: the Rust unit and integration tests (cargo test), then the
# JavaScript tests (node --test), the HTML validator (Nu Html Checker) and the accessibility and
# browser tests (axe-core and playwright-core in headless Chromium) on the built sample site.
#
# Time (CI has 2 cores and a 30-minute ceiling): the browser, Java and npm packages are installed
# (scripts/install-test-deps.sh) in the background while cargo compiles; every suite runs one
# binary (LMP_BIN) on the sample site built once per base path (LMP_PUBLIC) instead of each
# suite building its own, while `cargo test` runs (LMP_TEST_SERIAL=1: after it). Each phase
# prints its time.
# LMP_TEST_PROFILE picks how lmp is compiled:
#   dev (default): `cargo test` as developers run it, then a release build for the suites
#     (with lmp at opt-level 0, the image codecs' generic code compiled into lmp makes a cold
#     sample-site build take minutes and `lmp serve` on a fresh copy misses serve.mjs's limit);
#   ci (.ci/run): everything once in the `ci` profile (Cargo.toml: dev, debug assertions on,
#     with lmp at opt-level 1), the tests and the suites on that one binary: no second compile
#     of every dependency. Every suite passes on that binary (serve.mjs's limits included, at
#     load 4-9 on 2 cores); the integration tests ran in 306 s at load ~6 (218 s of CPU), where
#     dev's took 426-703 s.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target

start=$SECONDS
phase() { echo "== $1 (at $((SECONDS - start)) s)" >&2; }

# Packages, in the background. .ci/run may have started them already (LMP_DEPS_STATUS names the
# file their exit status is written to when done, LMP_DEPS_LOG their output).
if [ -z "${LMP_DEPS_STATUS:-}" ]; then
  export LMP_DEPS_STATUS="$PWD/target/test-deps.status" LMP_DEPS_LOG="$PWD/target/test-deps.log"
  rm -f "$LMP_DEPS_STATUS"
  ( set +e; scripts/install-test-deps.sh >"$LMP_DEPS_LOG" 2>&1; echo $? >"$LMP_DEPS_STATUS" ) &
fi
wait_for_deps() {
  while [ ! -s "$LMP_DEPS_STATUS" ]; do sleep 1; done
  cat "$LMP_DEPS_LOG" >&2
  if [ "$(cat "$LMP_DEPS_STATUS")" != 0 ]; then echo "scripts/install-test-deps.sh failed" >&2; exit 1; fi
}

PROFILE="${LMP_TEST_PROFILE:-dev}"
OUT_DIR=target/$PROFILE
[ "$PROFILE" = dev ] && OUT_DIR=target/debug
phase "cargo test: compile (profile $PROFILE)"
cargo test --profile "$PROFILE" --all-targets --no-run --quiet
if [ -z "${LMP_BIN:-}" ] && [ "$PROFILE" = dev ]; then
  phase "cargo build --release (the suites' binary)"
  cargo build --release --quiet
  export LMP_BIN="$PWD/target/release/lmp"
fi
export LMP_BIN="${LMP_BIN:-$PWD/$OUT_DIR/lmp}"
# Some Rust tests run node (the search parity test): run them once the packages are in.
phase "wait for the test packages"
wait_for_deps

phase "build the sample site"
"$LMP_BIN" build --quiet --out target/public-test
"$LMP_BIN" build --quiet --out target/public-test-lmp --base-url https://example.org/lmp/

# The node, validator and browser suites, one after another. They wait on a browser, a JVM or
# a server most of the time (about 150 s of CPU in 350 s here), so they run while `cargo test`
# runs (below), unless LMP_TEST_SERIAL=1 (then after it: to tell a timing failure from load).
# Their output goes to target/suites.log, printed when they are done; "passed failed" to
# target/suites.status.
suites() {
  local passed=0 failed=0
  run() {
    local name="$1"; shift
    phase "$name"
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name" >&2; fi
  }
  if [ -d tests/js ] && ls tests/js/*.test.mjs >/dev/null 2>&1; then
    run "node tests" env LMP_PUBLIC=target/public-test node --test tests/js/
  fi
  if [ -x tests/a11y/vnu.sh ]; then
    run "Nu Html Checker" tests/a11y/vnu.sh target/public-test
  fi
  if [ -x tests/a11y/vnu-hostile.sh ]; then
    run "Nu Html Checker on the hostile fixture" tests/a11y/vnu-hostile.sh target/public-hostile
  fi
  if [ -f tests/a11y/axe.mjs ]; then
    run "axe-core in Chromium" env AXE_EVERY_LAYOUT=1 node tests/a11y/axe.mjs target/public-test
  fi
  if [ -x tests/a11y/axe-hostile.sh ]; then
    run "axe-core on the hostile fixture" tests/a11y/axe-hostile.sh target/public-hostile-axe
  fi
  # The output each suite was written for: search and i18n under the sub-path /lmp/, media at the root.
  for t in tests/browser/search.mjs:target/public-test-lmp tests/browser/i18n.mjs:target/public-test-lmp \
    tests/browser/serve.mjs: tests/browser/serve-load.mjs: tests/browser/media.mjs:target/public-test \
    tests/browser/reader.mjs:target/public-test tests/browser/wcag.mjs:target/public-test tests/browser/rtl-search.mjs:; do
    file="${t%%:*}" public="${t#*:}"
    [ -f "$file" ] || continue
    if [ -n "$public" ]; then run "browser: $file" env LMP_PUBLIC="$public" node "$file"
    else run "browser: $file" node "$file"; fi
  done
  phase "suites done"
  echo "$passed $failed" >target/suites.status
}
rm -f target/suites.status
if [ "${LMP_TEST_SERIAL:-0}" != 1 ]; then
  phase "node, validator and browser suites: started beside cargo test (output: target/suites.log)"
  suites >target/suites.log 2>&1 &
  suites_pid=$!
fi

phase "cargo test: run"
# The randomized incremental == full test runs 500 steps here (150 by default).
rust_ok=1
LMP_INC_STEPS="${LMP_INC_STEPS:-500}" cargo test --profile "$PROFILE" --all-targets --quiet 2>&1 | tee target/cargo-test.log \
  || rust_ok=0
phase "cargo test --doc"
cargo test --profile "$PROFILE" --doc --quiet >/dev/null || rust_ok=0
phase "cargo test: done"

if [ "${LMP_TEST_SERIAL:-0}" = 1 ]; then
  suites
else
  wait "$suites_pid" || true
  phase "node, validator and browser suites: their output"
  cat target/suites.log >&2
fi
read -r passed failed <target/suites.status || { passed=0 failed=1; }
phase "done"
echo "suites: $passed passed, $failed failed" >&2
[ "$rust_ok" = 1 ] || echo "FAILED: cargo test" >&2
[ "$rust_ok" = 1 ] && [ "$failed" -eq 0 ]
