import { readFile } from 'node:fs/promises';
import { type ErrorCode, FlowForgeError } from '@flowforge/connectors-sdk';
import {
  CREDENTIAL_RESOLVE_PATH,
  type CredentialResolveRequest,
  CredentialResolveResponseSchema,
} from '@flowforge/connectors-sdk/contract';

/** Where a worker asks the control plane for credential values, and how it proves it is a worker. */
export interface CredentialChannelOptions {
  /** The control plane's base URL (`http://127.0.0.1:4000`). */
  url: string;
  /**
   * The worker token the control plane wrote into `$FLOWFORGE_HOME/keys/worker-token` (or
   * FLOWFORGE_WORKER_TOKEN): a string, or the file to read it from at first use.
   */
  token: string | { file: string };
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

/** Fetches one credential value for the node an executeNode activity runs. */
export type CredentialFetcher = (request: CredentialResolveRequest) => Promise<unknown>;

/**
 * The worker's end of the resolution channel: POST `/internal/credentials/resolve` with the worker
 * token and what this activity is (workflow id, execution run id, activity id, node, slot). The
 * control plane believes none of it until Temporal and its own signature agree (see
 * control-plane/src/credentials/resolve-credential.ts). The value is held in memory for this one
 * node execution and never logged; errors carry the control plane's message, which names the
 * run, node, slot and credential, never a value.
 */
export function createCredentialChannel(options: CredentialChannelOptions): CredentialFetcher {
  const endpoint = new URL(CREDENTIAL_RESOLVE_PATH, options.url);
  let token: Promise<string> | undefined;
  const workerToken = () => {
    token ??= readWorkerToken(options.token).catch((error: unknown) => {
      token = undefined;
      throw error;
    });
    return token;
  };
  return async (request) => {
    const where = `node "${request.nodeId}" slot "${request.slot}"`;
    let response: Response;
    try {
      response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await workerToken()}` },
        body: JSON.stringify(request),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      if (cause instanceof FlowForgeError) throw cause;
      throw new FlowForgeError(
        'FF_UNAVAILABLE',
        `${where}: the control plane at ${endpoint.origin} did not answer the credential request (${reasonOf(cause)})`,
        { hint: 'check that the control plane runs and FLOWFORGE_CONTROL_PLANE_URL points at it' },
      );
    }
    const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    if (!response.ok) throw refused(response.status, body, where);
    const parsed = CredentialResolveResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new FlowForgeError(
        'FF_INTERNAL',
        `${where}: the control plane answered the credential request in another shape`,
        {
          hint: 'run workers and the control plane of the same FlowForge release',
        },
      );
    }
    return parsed.data.value;
  };
}

/** The worker token, from its string or its file (FF_CONFIG naming the file when it cannot be read). */
export async function readWorkerToken(source: CredentialChannelOptions['token']): Promise<string> {
  if (typeof source === 'string') return source;
  try {
    return (await readFile(source.file, 'utf8')).trim();
  } catch (cause) {
    throw new FlowForgeError(
      'FF_CONFIG',
      `this worker has no worker token: ${source.file} cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause})`,
      {
        hint: "set FLOWFORGE_WORKER_TOKEN to the control plane's worker token (its $FLOWFORGE_HOME/keys/worker-token)",
      },
    );
  }
}

/** The control plane's refusal as a FlowForgeError: its code and message; only an outage is worth a retry. */
function refused(status: number, body: Record<string, unknown> | undefined, where: string): FlowForgeError {
  const error = (body?.error ?? {}) as { code?: string; message?: string; hint?: string };
  const message = `${where}: ${error.message ?? `the control plane answered ${status}`}`;
  if (status === 401) {
    return new FlowForgeError('FF_UNAUTHENTICATED', `${where}: the control plane refused this worker's token`, {
      hint: "give the worker the control plane's token (FLOWFORGE_WORKER_TOKEN or $FLOWFORGE_HOME/keys/worker-token)",
    });
  }
  const code: ErrorCode = status === 404 ? 'FF_NOT_FOUND' : status === 403 ? 'FF_FORBIDDEN' : 'FF_UNAVAILABLE';
  return new FlowForgeError(code, message, {
    retryable: status >= 500 || status === 429,
    ...(error.hint ? { hint: error.hint } : {}),
  });
}

function reasonOf(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}
