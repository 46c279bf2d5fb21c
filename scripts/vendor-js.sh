#!/usr/bin/env bash
# Rebuild kg/export/assets/kg-sigma.min.js, the sigma + graphology bundle that the big-corpus
# page inlines, from the exact versions pinned in kg/export/assets/vendor-src/package-lock.json:
# `npm ci` (npm registry only), then esbuild bundles and minifies vendor-src/entry.js.
# The built file is committed: installing kg, running it and CI never need npm.
# Run it after changing vendor-src/package.json (then `npm install` there to update the lock).
set -euo pipefail
cd "$(dirname "$0")/../kg/export/assets/vendor-src"
command -v npm >/dev/null || { echo "vendor-js.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
out=../kg-sigma.min.js
node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2019 \
  --legal-comments=eof --charset=utf8 --outfile="$out.tmp"
{
  printf '/* kg-sigma.min.js: sigma %s + graphology %s, bundled by scripts/vendor-js.sh (esbuild %s). MIT licensed. */\n' \
    "$(node -p "JSON.parse(require(\"fs\").readFileSync(\"node_modules/sigma/package.json\")).version")" \
    "$(node -p "JSON.parse(require(\"fs\").readFileSync(\"node_modules/graphology/package.json\")).version")" \
    "$(node_modules/.bin/esbuild --version)"
  cat "$out.tmp"
  printf '\n/* Licenses of the bundled packages:\n'
  for pkg in sigma graphology graphology-utils events; do
    lic=$(ls node_modules/$pkg/LICENSE* 2>/dev/null | head -1)
    [ -n "$lic" ] && { printf '\n--- %s ---\n' "$pkg"; sed 's|\*/|* /|g' "$lic"; }
  done
  printf '*/\n'
} > "$out"
rm -f "$out.tmp"
if grep -q '</script' "$out"; then echo "vendor-js.sh: the bundle holds '</script' and cannot be inlined" >&2; exit 1; fi
echo "wrote kg/export/assets/$(basename "$out") ($(wc -c < "$out") bytes)"
