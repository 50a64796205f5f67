#!/usr/bin/env bash
# Validates every HTML page of the built site with the Nu Html Checker (npm vnu-jar).
# Usage: tests/a11y/vnu.sh [DIR]   (default: public). Exits non-zero on any error.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="${1:-public}"
jar=node_modules/vnu-jar/build/dist/vnu.jar
[ -f "$jar" ] || { echo "vnu.sh: $jar is missing: run npm ci" >&2; exit 2; }
[ -d "$dir" ] || { echo "vnu.sh: $dir is missing: run lmp build first" >&2; exit 2; }
mapfile -d '' files < <(find "$dir" -name '*.html' -print0 | sort -z)
[ "${#files[@]}" -gt 0 ] || { echo "vnu.sh: no HTML files in $dir" >&2; exit 2; }
echo "vnu: checking ${#files[@]} HTML files in $dir"
# --errors-only: warnings (e.g. "consider adding lang") do not fail the check.
if java -Xss4m -jar "$jar" --errors-only --stdout --format gnu "${files[@]}"; then
  echo "vnu: ${#files[@]} passed, 0 failed"
else
  echo "vnu: errors found (see above)" >&2
  exit 1
fi
