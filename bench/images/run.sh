#!/usr/bin/env bash
# lmp cold/warm vs Hugo cold/warm image processing on the photos in /tmp/media-bench/photos.
set -u
B=${B:-/tmp/media-bench}; LMP=${LMP:-$(cd "$(dirname "$0")/../.." && pwd)/target/release/lmp}
ls $B/photos/*.jpg | wc -l | sed 's/^/photos: /'
du -sh $B/photos | sed 's/^/photo bytes: /'
uptime
rm -rf $B/cache-lmp $B/lmp/public
echo "== lmp cold"; /usr/bin/time -f "%e s wall, %U s user, %M kB max RSS" env LMP_CACHE_DIR=$B/cache-lmp $LMP build --quiet --site $B/lmp/site --out $B/lmp/public
echo "== lmp warm"; /usr/bin/time -f "%e s wall, %U s user, %M kB max RSS" env LMP_CACHE_DIR=$B/cache-lmp $LMP build --quiet --site $B/lmp/site --out $B/lmp/public
du -sh $B/cache-lmp | sed 's/^/lmp cache: /'; ls $B/cache-lmp/images | wc -l | sed 's/^/lmp cache files: /'
uptime
cd $B/hugo && rm -rf resources public
echo "== hugo cold"; /usr/bin/time -f "%e s wall, %U s user, %M kB max RSS" hugo --quiet --logLevel error
echo "== hugo warm"; /usr/bin/time -f "%e s wall, %U s user, %M kB max RSS" hugo --quiet --logLevel error
du -sh $B/hugo/resources | sed 's/^/hugo cache: /'; find $B/hugo/resources -type f | wc -l | sed 's/^/hugo cache files: /'
uptime
