import { ERROR_CODES, type ErrorCode, FlowForgeError, formatPath, type Issue, type z } from '@flowforge/connectors-sdk';
import type { Connection } from './cli-config.ts';

interface GraphQLResponse {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string; hint?: string; issues?: Issue[] } }>;
}

/** The control plane's GraphQL API over fetch; besides GraphQL only the run archive (`download`). */
export class ControlPlaneClient {
  readonly #connection: Connection;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  get url(): string {
    return this.#connection.url;
  }

  /**
   * Runs one operation and parses its `data` with `schema` (the contract's zod schemas): the CLI
   * never trusts an answer's shape. GraphQL errors become FlowForgeErrors with the server's code,
   * issues and hint.
   */
  async request<S extends z.ZodType>(
    query: string,
    variables: Record<string, unknown>,
    schema: S,
  ): Promise<z.infer<S>> {
    const { url } = this.#connection;
    const response = await this.#fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: GraphQLResponse;
    try {
      body = JSON.parse(text) as GraphQLResponse;
    } catch {
      throw new FlowForgeError('FF_UNAVAILABLE', `${url} answered HTTP ${response.status} without GraphQL JSON`, {
        hint: 'is FLOWFORGE_URL the FlowForge control plane?',
      });
    }
    const error = body.errors?.[0];
    if (error) {
      const code = error.extensions?.code;
      throw new FlowForgeError(isErrorCode(code) ? code : 'FF_INTERNAL', error.message, {
        ...(error.extensions?.hint ? { hint: error.extensions.hint } : {}),
        ...(error.extensions?.issues ? { issues: error.extensions.issues } : {}),
      });
    }
    if (!body.data) throw new FlowForgeError('FF_INTERNAL', `${url} answered without data or errors`);
    const parsed = schema.safeParse(body.data);
    if (!parsed.success) {
      const [issue] = parsed.error.issues;
      throw new FlowForgeError(
        'FF_INTERNAL',
        `${url} answered in a shape this CLI does not read (${formatPath(issue?.path.map(String) ?? [])}: ${issue?.message})`,
        { hint: 'use the CLI of the same FlowForge release as the control plane' },
      );
    }
    return parsed.data;
  }
  /**
   * A GET whose answer is a stream (the run archive): the response once it answered 2xx; else the
   * `{ error }` it answered with as a FlowForgeError with its code.
   */
  async download(path: string): Promise<Response> {
    const response = await this.#fetch(path, { method: 'GET' });
    if (response.ok) return response;
    const text = await response.text();
    let error: { code?: unknown; message?: unknown; hint?: unknown } | undefined;
    try {
      error = (JSON.parse(text) as { error?: typeof error }).error;
    } catch {
      // Not FlowForge's error shape: said below.
    }
    if (!error || typeof error.message !== 'string') {
      throw new FlowForgeError('FF_UNAVAILABLE', `${this.url}${path} answered HTTP ${response.status}`, {
        hint: 'is FLOWFORGE_URL the FlowForge control plane (of this release)?',
      });
    }
    throw new FlowForgeError(isErrorCode(error.code) ? error.code : 'FF_INTERNAL', error.message, {
      ...(typeof error.hint === 'string' ? { hint: error.hint } : {}),
    });
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    const { url, apiKey } = this.#connection;
    try {
      return await fetch(`${url}${path}`, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        },
      });
    } catch (cause) {
      throw new FlowForgeError('FF_UNAVAILABLE', `control plane not reachable at ${url} — start it with npm start`, {
        cause,
        hint: `the URL came from ${this.#connection.source}; set FLOWFORGE_URL to use another control plane`,
      });
    }
  }
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && code in ERROR_CODES;
}
