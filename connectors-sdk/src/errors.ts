import { z } from 'zod';

/**
 * The one catalogue of FlowForge error codes. Every error a user can see carries a stable code,
 * a message saying what was wrong, where (a path into the input) and what to do, and whether
 * retrying can help. The split follows n8n: `user` (the input or workflow is wrong: show it),
 * `operational` (the world failed: retry, alert), `unexpected` (our bug: log with stack).
 */
export const ERROR_CODES = {
  FF_VALIDATION: { kind: 'user', retryable: false, summary: 'the workflow definition is invalid' },
  FF_DUPLICATE_NODE_ID: { kind: 'user', retryable: false, summary: 'two nodes share an id' },
  FF_UNKNOWN_NODE_TYPE: { kind: 'user', retryable: false, summary: 'no node type by that name' },
  FF_INVALID_PARAMS: { kind: 'user', retryable: false, summary: 'node parameters are invalid' },
  FF_EDGE_UNKNOWN_NODE: { kind: 'user', retryable: false, summary: 'an edge names a node that does not exist' },
  FF_EDGE_UNKNOWN_PORT: { kind: 'user', retryable: false, summary: 'an edge names a port the node does not have' },
  FF_DUPLICATE_EDGE: { kind: 'user', retryable: false, summary: 'two edges join the same ports' },
  FF_CYCLE: { kind: 'user', retryable: false, summary: 'the edges form a cycle' },
  FF_UNREACHABLE_NODE: { kind: 'user', retryable: false, summary: 'a node cannot be reached from a trigger' },
  FF_NO_TRIGGER: { kind: 'user', retryable: false, summary: 'the workflow has no trigger node' },
  FF_EXPRESSION: { kind: 'user', retryable: false, summary: 'an expression failed' },
  FF_SANDBOX: { kind: 'user', retryable: false, summary: 'sandboxed code failed or broke a limit' },
  FF_STOP_AND_ERROR: { kind: 'user', retryable: false, summary: 'the workflow stopped on purpose' },
  FF_HTTP_STATUS: { kind: 'operational', retryable: false, summary: 'the HTTP server answered with an error status' },
  FF_HTTP_NETWORK: { kind: 'operational', retryable: true, summary: 'the HTTP request did not get an answer' },
  FF_NODE_TIMEOUT: { kind: 'operational', retryable: true, summary: 'the node ran past its timeout' },
  FF_ARTIFACT_MISSING: { kind: 'operational', retryable: false, summary: 'a stored node output or run input is gone' },
  FF_OUTPUT_TOO_DEEP: {
    kind: 'user',
    retryable: false,
    summary: "a node's output nests deeper than FlowForge passes between nodes",
  },
  FF_RUN_SIGNATURE: { kind: 'user', retryable: false, summary: 'the run request is unsigned or tampered with' },
  FF_NODE_FAILED: { kind: 'operational', retryable: false, summary: 'a node failed and stopped the run' },
  FF_NOT_FOUND: { kind: 'user', retryable: false, summary: 'no such object' },
  FF_UNAUTHENTICATED: { kind: 'user', retryable: false, summary: 'missing or invalid API key' },
  FF_BAD_INPUT: { kind: 'user', retryable: false, summary: 'the request is invalid' },
  FF_CONFIG: { kind: 'user', retryable: false, summary: 'a configuration value is invalid' },
  FF_UNAVAILABLE: { kind: 'operational', retryable: true, summary: 'a service FlowForge needs is not reachable' },
  FF_RUN_STATE: { kind: 'user', retryable: false, summary: 'the run is not in a state that allows this action' },
  FF_FORBIDDEN: { kind: 'user', retryable: false, summary: 'the caller may not do this' },
  FF_CONFLICT: { kind: 'user', retryable: false, summary: 'something else holds what this needs' },
  FF_ARCHIVED: { kind: 'user', retryable: false, summary: 'the workflow is archived (unarchive it first)' },
  FF_APPROVAL_INVALID: { kind: 'user', retryable: false, summary: 'the approval decision is invalid' },
  FF_APPROVAL_TIMEOUT: { kind: 'operational', retryable: false, summary: 'nobody decided an approval in time' },
  FF_APPROVAL_LINK_USED: { kind: 'user', retryable: false, summary: 'the approval link was used already' },
  FF_CIRCUIT_OPEN: { kind: 'operational', retryable: true, summary: 'a circuit breaker is open for that host' },
  FF_RESUME_LINK_USED: { kind: 'user', retryable: false, summary: 'the resume link was used already' },
  FF_RESUME_TIMEOUT: { kind: 'operational', retryable: false, summary: 'nobody called a resume link in time' },
  FF_CANCELLED: { kind: 'user', retryable: false, summary: 'the run was cancelled' },
  FF_RUN_TIMEOUT: { kind: 'operational', retryable: false, summary: 'the run passed its settings.timeout' },
  FF_CHILD_RUN_FAILED: { kind: 'operational', retryable: false, summary: 'a child run (core.executeWorkflow) failed' },
  FF_CHILD_RUN_DEPTH: {
    kind: 'user',
    retryable: false,
    summary: 'child runs nest too deep (a workflow calls itself?)',
  },
  FF_RATE_LIMITED: {
    kind: 'user',
    retryable: true,
    summary: 'too many requests or attempts: wait as Retry-After says, then retry',
  },
  FF_QUERY_TOO_COMPLEX: {
    kind: 'user',
    retryable: false,
    summary: 'a GraphQL query nests too deep or asks for too much at once',
  },
  FF_INTERNAL: { kind: 'unexpected', retryable: false, summary: 'an unexpected internal error' },
} as const satisfies Record<
  string,
  { kind: 'user' | 'operational' | 'unexpected'; retryable: boolean; summary: string }
>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * An error code on the wire. Any `FF_*` name passes, so a peer one release ahead (a worker, a
 * control plane) never makes the other side's parse fail; the type says it is one of ours.
 */
export const ErrorCodeSchema = z.custom<ErrorCode>((value) => typeof value === 'string' && /^FF_[A-Z_]+$/.test(value), {
  error: 'an error code is FF_ and capitals',
});

/** A path into the input that was wrong, as zod reports it: `['nodes', 2, 'params', 'url']`. */
export const IssuePathSchema = z.array(z.union([z.string(), z.number()])).readonly();
export type IssuePath = z.infer<typeof IssuePathSchema>;

/** One problem, as data: what the API returns and the CLI prints. */
export const IssueSchema = z.object({ code: ErrorCodeSchema, message: z.string(), path: IssuePathSchema });
export type Issue = z.infer<typeof IssueSchema>;

export interface FlowForgeErrorOptions {
  path?: IssuePath;
  /** Overrides the code's default (e.g. an HTTP 503 is retryable, a 404 is not). */
  retryable?: boolean;
  /** What to do about it; printed after the message. */
  hint?: string;
  issues?: Issue[];
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class FlowForgeError extends Error {
  override readonly name = 'FlowForgeError';
  readonly code: ErrorCode;
  readonly path: IssuePath;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly issues: Issue[];
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: FlowForgeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path ?? [];
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.hint = options.hint;
    this.issues = options.issues ?? [];
    this.details = options.details ?? {};
  }

  get kind(): 'user' | 'operational' | 'unexpected' {
    return ERROR_CODES[this.code].kind;
  }

  toJSON(): SerializedError {
    return serializeError(this);
  }
}

/** The wire form of an error: in node results, GraphQL extensions and CLI `--json` output. */
export const SerializedErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  path: IssuePathSchema.optional(),
  hint: z.string().optional(),
  retryable: z.boolean(),
  issues: z.array(IssueSchema).optional(),
});
export type SerializedError = z.infer<typeof SerializedErrorSchema>;

export function serializeError(error: FlowForgeError): SerializedError {
  return {
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(error.path.length > 0 ? { path: error.path } : {}),
    ...(error.hint ? { hint: error.hint } : {}),
    ...(error.issues.length > 0 ? { issues: error.issues } : {}),
  };
}

/** `nodes[2].params.url` — how paths are printed for people. */
export function formatPath(path: IssuePath): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

export function isFlowForgeError(error: unknown): error is FlowForgeError {
  return error instanceof FlowForgeError;
}
