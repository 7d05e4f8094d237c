#!/usr/bin/env bash
# `npm start`: installs what is missing (scripts/toolchain.sh), then runs the local stack in the
# foreground (scripts/stack/dev-stack.ts). Ctrl-C stops everything.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$FF_ROOT"
exec node --import tsx scripts/stack/dev-stack.ts
