#!/usr/bin/env bash
# Makes the photos and the benchmark sites (B=/tmp/media-bench; N=300 photos; UNIQUE=60 draws only 60
# and copies them, see genphotos.py):
# $B/photos/photo-NNN.jpg (bench/images/genphotos.py: photo-like JPEGs of 2-12 megapixels),
# $B/lmp (the basic fixture plus one story per photo, the photo as its lead image: 13 outputs each,
#   4 widths x WebP + JPEG, 2 thumbnails x 2 formats, the 1200x630 share card),
# $B/lmp-noimg (the same stories without photos: what a warm build costs without images),
# $B/hugo (one page per photo; its template makes the same widths, formats and crops).
# Then bench/images/run.sh; remove $B when done (about 1.5 GB for 300 photos).
set -euo pipefail
B=${B:-/tmp/media-bench}; N=${N:-300}; REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -d $B/photos ] || python3 $REPO/bench/images/genphotos.py $B/photos $N 1 ${UNIQUE:-$N}
rm -rf $B/lmp $B/lmp-noimg $B/hugo
mkdir -p $B/lmp/site/static/images $B/lmp-noimg/site $B/hugo/assets/images $B/hugo/content/stories $B/hugo/layouts/_default
cp -r $REPO/tests/fixtures/basic/. $B/lmp/site/
cp -r $REPO/tests/fixtures/basic/. $B/lmp-noimg/site/
printf 'share_cards: false\n' | cat - $REPO/tests/fixtures/basic/config.yaml > $B/lmp/site/config.yaml
cp $B/lmp/site/config.yaml $B/lmp-noimg/site/config.yaml
for f in $B/photos/*.jpg; do
  n=$(basename $f .jpg)
  ln $f $B/lmp/site/static/images/$n.jpg 2>/dev/null || cp $f $B/lmp/site/static/images/$n.jpg
  ln $f $B/hugo/assets/images/$n.jpg 2>/dev/null || cp $f $B/hugo/assets/images/$n.jpg
  printf -- '---\ntitle: "Photo %s"\ndate: 2020-01-01\nsummary: A photo.\nimage: /images/%s.jpg\nimage_alt: A generated photo-like picture\n---\nText.\n' $n $n > $B/lmp/site/stories/$n.md
  printf -- '---\ntitle: "Photo %s"\ndate: 2020-01-01\nsummary: A photo.\n---\nText.\n' $n > $B/lmp-noimg/site/stories/$n.md
  printf -- '---\ntitle: "Photo %s"\ndate: 2020-01-01\nimage: images/%s.jpg\n---\nText.\n' $n $n > $B/hugo/content/stories/$n.md
done
cat > $B/hugo/hugo.toml <<'T'
baseURL = "https://example.org/"
disableKinds = ["taxonomy", "term", "rss", "sitemap", "robotstxt"]
[imaging]
quality = 76
resampleFilter = "lanczos"
T
cat > $B/hugo/layouts/_default/single.html <<'T'
{{ $img := resources.Get .Params.image }}<!doctype html><title>{{ .Title }}</title>
{{ range slice 480 800 1200 1600 }}{{ if le . $img.Width }}
{{ ($img.Resize (printf "%dx webp q72" .)).RelPermalink }} {{ ($img.Resize (printf "%dx jpg q76" .)).RelPermalink }}
{{ end }}{{ end }}
{{ range slice "400x225" "800x450" }}{{ ($img.Fill (printf "%s webp q72 Center" .)).RelPermalink }} {{ ($img.Fill (printf "%s jpg q76 Center" .)).RelPermalink }}{{ end }}
{{ ($img.Fill "1200x630 jpg q76 Center").RelPermalink }}
T
printf '<!doctype html><title>{{ .Title }}</title>\n' > $B/hugo/layouts/_default/list.html
printf '<!doctype html><title>{{ .Title }}</title>\n' > $B/hugo/layouts/index.html
