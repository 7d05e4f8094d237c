import { FlowForgeError, z } from '@flowforge/connectors-sdk';
import { isRunEndEvent, type RunEvent, RunEventKindSchema } from '@flowforge/connectors-sdk/contract';
import { createClient } from 'graphql-ws/client';
import WebSocket from 'ws';
import type { Connection } from './cli-config.ts';
import type { ControlPlaneClient } from './control-plane-client.ts';
import { EXIT } from './exit-codes.ts';
import { fetchRun } from './wait-for-run.ts';

const RUN_EVENTS = /* GraphQL */ `
  subscription ($runId: ID!) { runEvents(runId: $runId) { event nodeId at iteration } }
`;

/** GraphQL answers null for what is absent. */
const WatchedEventSchema = z.object({
  event: RunEventKindSchema,
  nodeId: z.string().nullish(),
  at: z.string(),
  iteration: z.int().nullish(),
});
type WatchedEvent = z.infer<typeof WatchedEventSchema>;

/** `runs watch --json` and `run --follow --json`: one object per line, exactly these keys (a contract). */
export interface WatchLine {
  event: Exclude<RunEvent['event'], 'run.started'>;
  nodeId?: string;
  at: string;
}

/**
 * Follows a run until it ends, printing each event as it comes (`--json`: one JSON object per line;
 * else a row of a live table: time, node, status), and answers the exit code: 0 when it completed,
 * 1 otherwise. The run is first read over HTTP, so a wrong id or key fails with its own FF_* code
 * before any socket opens.
 *
 * graphql-ws over the `ws` package rather than Node 24's global WebSocket: the same library the
 * control plane serves it with (Mercurius → @fastify/websocket → ws), pinned in cli/package.json,
 * and its errors carry the cause (ECONNREFUSED) where the global one reports a bare `error` event.
 * When the socket drops, graphql-ws connects again and the new subscription starts from the run's
 * current state: what was printed already is not printed twice.
 */
export async function followRun(
  client: ControlPlaneClient,
  connection: Connection,
  runId: string,
  json: boolean,
): Promise<number> {
  await fetchRun(client, runId);
  const printed = new Set<string>();
  if (!json) process.stdout.write(`${'TIME'.padEnd(24)}  ${'NODE'.padEnd(24)}  STATUS\n`);
  const end = await watchRun(connection, runId, (event) => {
    if (event.event === 'run.started') return;
    const key = `${event.event}\u0000${event.nodeId ?? ''}\u0000${event.iteration ?? 0}`;
    if (printed.has(key)) return;
    printed.add(key);
    process.stdout.write(json ? `${JSON.stringify(lineOf(event))}\n` : `${row(event)}\n`);
  });
  return end === 'run.completed' ? EXIT.ok : EXIT.failed;
}

function lineOf(event: WatchedEvent): WatchLine {
  return {
    event: event.event as WatchLine['event'],
    ...(event.nodeId ? { nodeId: event.nodeId } : {}),
    at: event.at,
  };
}

function row(event: WatchedEvent): string {
  const node = event.nodeId ? `${event.nodeId}${event.iteration ? ` #${event.iteration}` : ''}` : '(run)';
  const status = event.event.replace(/^(node|run)\./, '');
  return `${event.at.padEnd(24)}  ${node.padEnd(24)}  ${status}`;
}

/** Subscribes to `runEvents(runId)` and resolves with the event that ended the run. */
export function watchRun(
  connection: Connection,
  runId: string,
  onEvent: (event: WatchedEvent) => void,
): Promise<RunEvent['event']> {
  const url = `${connection.url.replace(/^http/, 'ws')}/graphql`;
  const ws = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: connection.apiKey ? { authorization: `Bearer ${connection.apiKey}` } : {},
    retryAttempts: 5,
    lazy: true,
  });
  return new Promise<RunEvent['event']>((resolve, reject) => {
    let ended: RunEvent['event'] | undefined;
    ws.subscribe(
      { query: RUN_EVENTS, variables: { runId } },
      {
        next: (result) => {
          if (result.errors?.length) return reject(refused(result.errors[0]?.message));
          const parsed = WatchedEventSchema.safeParse((result.data as { runEvents?: unknown } | null)?.runEvents);
          if (!parsed.success) return reject(refused('an event in another shape (is the CLI of the same release?)'));
          onEvent(parsed.data);
          if (isRunEndEvent(parsed.data.event)) {
            ended = parsed.data.event;
            resolve(ended);
          }
        },
        error: (error) => reject(socketError(error, url)),
        complete: () =>
          ended ? resolve(ended) : reject(refused('the subscription ended before the run did: read it with runs show')),
      },
    );
  }).finally(() => ws.dispose());
}

function refused(message: string | undefined): FlowForgeError {
  return new FlowForgeError('FF_UNAVAILABLE', `runEvents: ${message ?? 'the control plane ended the subscription'}`, {
    hint: 'flowforge runs show <runId> reads the run view',
  });
}

function socketError(error: unknown, url: string): FlowForgeError {
  if (Array.isArray(error)) return refused((error[0] as { message?: string } | undefined)?.message);
  const code = (error as { code?: unknown }).code;
  const reason = (error as { reason?: unknown }).reason;
  const why =
    typeof code === 'number'
      ? `the socket closed (${code}${typeof reason === 'string' && reason ? ` ${reason}` : ''})`
      : typeof code === 'string'
        ? code
        : error instanceof Error
          ? error.message
          : String(error);
  return new FlowForgeError('FF_UNAVAILABLE', `no live events from ${url}: ${why}`, {
    hint: 'is the control plane running (npm start)? flowforge runs show <runId> reads the run view',
  });
}
