#!/bin/sh
# `npm start`: the demo on the embedded local authority, building dist/ first only when it is stale.
set -e
cd "$(dirname "$0")/.."
sh scripts/build-if-stale.sh
exec node dist/cli.js demo "$@"
