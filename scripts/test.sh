#!/usr/bin/env bash
# `npm test`: installs what is missing (with the chart tools), then lint + format check (Biome), type checks (tsc per
# package) and the whole vitest suite against a real Temporal dev server and PostgreSQL.
# Extra arguments go to vitest (`npm test -- workers/src/interpreter`).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
# helm, kubernetes-validate and hadolint for the chart checks (helm/flowforge/test), cached outside the clone.
ff_ensure_chart_tools
cd "$FF_ROOT"
ff_say "lint and format check (biome)"
node_modules/.bin/biome check . >&2
ff_say "type check"
for pkg in connectors-sdk workers control-plane cli scripts bench helm/flowforge/test examples/connectors/*; do
  [ -f "$pkg/tsconfig.json" ] && (cd "$pkg" && "$FF_ROOT/node_modules/.bin/tsc" -p .) || { ff_say "type errors in $pkg"; exit 1; }
done
ff_say "test suite (vitest)"
rm -f .flowforge/test-results.json
node_modules/.bin/vitest run "$@"
