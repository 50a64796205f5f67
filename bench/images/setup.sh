#!/usr/bin/env bash
# Builds the two benchmark sites over the same photos ($B/photos/photo-NNN.jpg, B=/tmp/media-bench;
# make them with `python3 bench/images/genphotos.py $B/photos 300`):
# /tmp/media-bench/lmp (the basic fixture plus one story per photo, the photo as its lead image)
# /tmp/media-bench/hugo (one page per photo; its template makes the same widths and formats).
set -euo pipefail
B=${B:-/tmp/media-bench}; REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
rm -rf $B/lmp $B/hugo
mkdir -p $B/lmp/site/static/images $B/hugo/assets/images $B/hugo/content/stories $B/hugo/layouts/_default
cp -r $REPO/tests/fixtures/basic/. $B/lmp/site/
printf 'share_cards: false\n' | cat - $REPO/tests/fixtures/basic/config.yaml > $B/lmp/site/config.yaml
for f in $B/photos/*.jpg; do
  n=$(basename $f .jpg)
  ln $f $B/lmp/site/static/images/$n.jpg 2>/dev/null || cp $f $B/lmp/site/static/images/$n.jpg
  ln $f $B/hugo/assets/images/$n.jpg 2>/dev/null || cp $f $B/hugo/assets/images/$n.jpg
  printf -- '---\ntitle: "Photo %s"\ndate: 2020-01-01\nsummary: A photo.\nimage: /images/%s.jpg\nimage_alt: A generated photo-like picture\n---\nText.\n' $n $n > $B/lmp/site/stories/$n.md
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
