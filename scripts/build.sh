#!/bin/sh
# Builds dist/ from scratch (tsup runs two configs side by side, so it cannot clean by itself).
set -e
cd "$(dirname "$0")/.."
rm -rf dist
exec tsup "$@"
