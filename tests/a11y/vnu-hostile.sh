#!/usr/bin/env bash
# Builds the hostile fixture (tests/fixtures/hostile-html: markdown and raw HTML an editor may
# get wrong — misnested and unclosed tags, blocks in paragraphs, links in links, figure, dl,
# time and table content models, ARIA, skipped heading levels, attribute values, heading
# attributes, components around raw HTML and raw HTML around components, control characters,
# in English and Spanish) and validates every page with the Nu Html Checker: what the
# sanitiser repairs must leave no validator error.
# Usage: tests/a11y/vnu-hostile.sh [OUT]   (default: target/public-hostile). LMP_BIN: the lmp
# binary (default target/release/lmp).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-target/public-hostile}"
bin="${LMP_BIN:-target/release/lmp}"
[ -x "$bin" ] || { echo "vnu-hostile.sh: $bin is missing: cargo build --release, or set LMP_BIN" >&2; exit 2; }
# --quiet: the fixture's many warnings are the point; only errors are printed (and fail).
"$bin" build --quiet --site tests/fixtures/hostile-html --out "$out"
tests/a11y/vnu.sh "$out"
