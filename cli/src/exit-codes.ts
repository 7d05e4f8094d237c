import type { ErrorCode } from '@flowforge/connectors-sdk';

/**
 * The CLI's exit codes (a contract, documented in `flowforge --help` via package.json and in cli/README.md):
 * 0 the command worked / the run COMPLETED; 1 the run FAILED, was CANCELLED or TIMED_OUT, the
 * control plane is unreachable, or another failure; 2 usage or validation errors.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Errors caused by what the user typed or wrote: exit 2. Everything else: exit 1. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'FF_VALIDATION',
  'FF_DUPLICATE_NODE_ID',
  'FF_UNKNOWN_NODE_TYPE',
  'FF_INVALID_PARAMS',
  'FF_EDGE_UNKNOWN_NODE',
  'FF_EDGE_UNKNOWN_PORT',
  'FF_DUPLICATE_EDGE',
  'FF_EXPRESSION',
  'FF_CYCLE',
  'FF_UNREACHABLE_NODE',
  'FF_NO_TRIGGER',
  'FF_BAD_INPUT',
  'FF_NOT_FOUND',
]);

export function exitCodeOf(code: ErrorCode): number {
  return USAGE_CODES.has(code) ? EXIT.usage : EXIT.failed;
}

export function exitCodeOfRun(status: string): number {
  return status === 'COMPLETED' || status === 'RUNNING' ? EXIT.ok : EXIT.failed;
}
