#!/bin/sh
# Builds dist/ from scratch (tsup runs several configs side by side, so it cannot clean by itself).
set -e
cd "$(dirname "$0")/.."
PATH="$PWD/node_modules/.bin:$PATH"
rm -rf dist
exec tsup "$@"
