#!/usr/bin/env bash
# The search index side by side with Pagefind, on the same built output of N generated documents
# (issue 15): index build time, index files and bytes, and the bytes a first one-word, three-word
# and three-word-with-a-typo query download (gzip), lmp through its search page and Pagefind through
# its JS API, both in headless Chromium (tests/browser/search-bench.mjs), then lmp's figures per
# query from the engine in Node (tests/js/query-bytes.mjs).
#
#   bench/search.sh [DOCS]            # default 10000
#   WORK=/tmp/x bench/search.sh 100000
#   PAGEFIND=0 bench/search.sh 1000   # lmp only
# Env: WORK (corpus folder, default /tmp/lmp-search-bench), LMP_BIN (default: build
# target/release/lmp). Pagefind comes from the npm registry through `npx` (pagefind@1.3.0).
set -euo pipefail
N=${1:-10000}
WORK=${WORK:-/tmp/lmp-search-bench}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${LMP_BIN:-}" ]; then
  cargo build --release --quiet --bin lmp --example gen-corpus
  LMP_BIN=$root/target/release/lmp
fi
gen=$root/target/release/examples/gen-corpus
[ -x "$gen" ] || cargo build --release --quiet --example gen-corpus
corpus=$WORK/corpus-$N
mkdir -p "$WORK"
[ -f "$corpus/config.yaml" ] || "$gen" --docs "$N" --out "$corpus" --seed 42 >/dev/null
echo "# $(date -u +%FT%TZ), $N documents, load: $(cut -d' ' -f1-3 /proc/loadavg)"
extra=()
[ "${PAGEFIND:-1}" = 0 ] && extra+=(--no-pagefind)
LMP_BIN=$LMP_BIN node tests/browser/search-bench.mjs --run --docs "$N" --corpus "$corpus" --once "${extra[@]}"
out=$root/target/search-bench/public
node tests/js/query-bytes.mjs "$out" huddle "patient safety huddle" "patient safty huddle" '"patient safety"'
