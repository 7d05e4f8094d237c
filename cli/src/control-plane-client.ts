import { ERROR_CODES, type ErrorCode, FlowForgeError, type Issue } from '@flowforge/connectors-sdk';
import type { Connection } from './cli-config.ts';

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: { code?: string; hint?: string; issues?: Issue[] } }>;
}

/** The control plane's GraphQL API over fetch: the CLI talks GraphQL only. */
export class ControlPlaneClient {
  readonly #connection: Connection;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  get url(): string {
    return this.#connection.url;
  }

  /** Runs one operation; GraphQL errors become FlowForgeErrors with the server's code, issues and hint. */
  async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const { url, apiKey } = this.#connection;
    let response: Response;
    try {
      response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
    } catch (cause) {
      throw new FlowForgeError('FF_UNAVAILABLE', `control plane not reachable at ${url} — start it with npm start`, {
        cause,
        hint: `the URL came from ${this.#connection.source}; set FLOWFORGE_URL to use another control plane`,
      });
    }
    const text = await response.text();
    let body: GraphQLResponse<T>;
    try {
      body = JSON.parse(text) as GraphQLResponse<T>;
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
    return body.data;
  }
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && code in ERROR_CODES;
}
