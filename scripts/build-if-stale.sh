#!/bin/sh
# Builds dist/ (scripts/build.sh) only when it is missing, incomplete, or older than what it is built
# from: src/, the build configuration, package.json. When it builds it says so, and why, on stderr.
# Used by `npm start` and by the tests that run the built package.
set -e
cd "$(dirname "$0")/.."

# What a complete build leaves (build.sh empties dist/ first, so all of them come from one build).
outputs="dist/node-guard.js dist/node-guard.cjs dist/index.js dist/index.cjs dist/index.d.ts dist/index.d.cts dist/cli.js"
inputs="src tsup.config.ts tsconfig.json package.json scripts/build.sh"

reason=""
for output in $outputs; do
  [ -f "$output" ] || { reason="$output is missing"; break; }
done
if [ -z "$reason" ]; then
  # shellcheck disable=SC2086 # word splitting of the lists is intended
  oldest=$(ls -tr $outputs | head -n 1)
  # shellcheck disable=SC2086
  newer=$(find $inputs -type f -newer "$oldest" | head -n 1)
  [ -z "$newer" ] || reason="$newer is newer than dist/"
fi
[ -n "$reason" ] || exit 0

echo "building… ($reason)" >&2
exec sh scripts/build.sh --silent
