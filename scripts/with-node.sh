#!/bin/sh
# Runs a command with a Node.js >= 22.19 first on PATH (see ensure-node.sh).
set -e
. "$(dirname "$0")/ensure-node.sh"
exec "$@"
