#!/usr/bin/env bash
# `npm run bench`: installs what is missing (scripts/toolchain.sh), then bench/src/run-bench.ts on
# a stack of its own (PostgreSQL and a Temporal dev server in a temporary directory).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$FF_ROOT"
exec node --import tsx bench/src/run-bench.ts
