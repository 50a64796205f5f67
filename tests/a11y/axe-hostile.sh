#!/usr/bin/env bash
# Builds the hostile fixture (tests/fixtures/hostile-html: markdown and raw HTML an editor may
# get wrong, in English and Spanish; see vnu-hostile.sh) and runs axe-core (tests/a11y/axe.mjs,
# WCAG 2.1 A and AA) on every one of its pages at 375 px: what the sanitiser repairs must leave
# no violation an author caused (an empty link, a link in a summary, aria-hidden around a link).
# Usage: tests/a11y/axe-hostile.sh [OUT]   (default: target/public-hostile-axe). LMP_BIN: the
# lmp binary (default target/release/lmp). Screenshots: target/screenshots-hostile/.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-target/public-hostile-axe}"
bin="${LMP_BIN:-target/release/lmp}"
[ -x "$bin" ] || { echo "axe-hostile.sh: $bin is missing: cargo build --release, or set LMP_BIN" >&2; exit 2; }
# --quiet: the fixture's many warnings are the point; an error fails the build (and this run).
"$bin" build --quiet --site tests/fixtures/hostile-html --out "$out"
AXE_ALL=1 AXE_SCREENSHOTS=target/screenshots-hostile node tests/a11y/axe.mjs "$out"
