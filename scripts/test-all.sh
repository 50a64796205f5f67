#!/usr/bin/env bash
# Runs every test of the project: the Rust unit and integration tests (cargo test), then the
# JavaScript tests (node --test), the HTML validator (Nu Html Checker) and the accessibility and
# browser tests (axe-core and playwright-core in headless Chromium) on the built sample site.
# Installs the browser, Java and npm packages first if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-test-deps.sh

echo "== cargo test" >&2
# The randomized incremental == full test runs 500 steps here (150 by default).
LMP_INC_STEPS="${LMP_INC_STEPS:-500}" cargo test --all-targets --quiet 2>&1 | tee target/cargo-test.log
cargo test --doc --quiet >/dev/null

echo "== build the sample site" >&2
cargo build --release --quiet
./target/release/lmp build --quiet --out target/public-test

passed=0
failed=0
run() {
  local name="$1"; shift
  echo "== $name" >&2
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name" >&2; fi
}

if [ -d tests/js ] && ls tests/js/*.test.mjs >/dev/null 2>&1; then
  run "node tests" node --test tests/js/
fi
if [ -x tests/a11y/vnu.sh ]; then
  run "Nu Html Checker" tests/a11y/vnu.sh target/public-test
fi
if [ -f tests/a11y/axe.mjs ]; then
  run "axe-core in Chromium" node tests/a11y/axe.mjs target/public-test
fi
for t in tests/browser/search.mjs tests/browser/i18n.mjs tests/browser/serve.mjs tests/browser/serve-load.mjs tests/browser/media.mjs; do
  [ -f "$t" ] || continue
  run "browser: $t" node "$t"
done

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
