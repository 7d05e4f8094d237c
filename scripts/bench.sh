#!/usr/bin/env bash
# `npm run bench`: installs what is missing (scripts/toolchain.sh), then bench/src/run-bench.ts on
# a stack of its own (PostgreSQL and a Temporal dev server in a temporary directory).
# `npm run bench -- approvals [--waiting N --decide N --idle S --start-minutes M]`: issue 4's
# benchmark (runs waiting on approval, approval to next node), bench/src/approvals-bench.ts. It takes
# 10-20 minutes with 10,000 runs on 2 cores, so the default run leaves it out.
# `npm run bench -- webhook [--vs-n8n] [--seconds 20] [--levels 1,10,50]`: issue 13's webhook benchmark
# (bench/src/webhook-bench.ts), side by side with n8n 2.41.1 and Temporal's own floor.
# `npm run bench -- live-events`: issue 9's activity end → runEvents subscriber latency
# (bench/src/live-events-bench.ts; BENCH_LIVE_RUNS, default 20).
# `npm run bench -- noisy-neighbours [--only name,...]`: issue 12's hostile runs beside hello runs
# (bench/src/noisy-neighbours.ts).
# `npm run bench -- scaling [--seconds 20] [--concurrency 16] [--cache 200] [--waiting 600]`: issue 11's
# measured inputs of docs/SCALING.md (runs/s, activities/s, memory per waiting run; ~3 min),
# bench/src/scaling-bench.ts.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$FF_ROOT"
if [[ "${1:-}" == webhook ]]; then
  shift
  exec node --import tsx bench/src/webhook-bench.ts "$@"
fi
if [[ "${1:-}" == noisy-neighbours ]]; then
  shift
  exec node --import tsx bench/src/noisy-neighbours.ts "$@"
fi
if [[ "${1:-}" == live-events ]]; then
  shift
  exec node --import tsx bench/src/live-events-bench.ts "$@"
fi
if [[ "${1:-}" == scaling ]]; then
  shift
  exec node --import tsx bench/src/scaling-bench.ts "$@"
fi
if [[ "${1:-}" == approvals ]]; then
  shift
  exec node --import tsx bench/src/approvals-bench.ts "$@"
fi
echo "(runs waiting on approval and approval latency: npm run bench -- approvals, 10-20 min; sizing inputs: npm run bench -- scaling, ~3 min)" >&2
exec node --import tsx bench/src/run-bench.ts "$@"
