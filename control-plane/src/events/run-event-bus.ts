import { FlowForgeError } from '@flowforge/connectors-sdk';
import { type RunEvent, RunEventSchema } from '@flowforge/connectors-sdk/contract';
// CommonJS: Node's ESM loader sees only its default export.
import pg from 'pg';

/** One channel per database: every control-plane replica on the database LISTENs on it. */
export const RUN_EVENTS_CHANNEL = 'flowforge_run_events';
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more: events are packed below this. */
const MAX_NOTIFY_BYTES = 7_900;

export interface RunEventListener {
  onEvents(events: readonly RunEvent[]): void;
  /** The LISTEN connection broke: events may have been missed, so the subscriber must start over. */
  onLost(error: FlowForgeError): void;
}

/**
 * Run events between control-plane replicas through PostgreSQL LISTEN/NOTIFY: the replica a worker
 * posted to NOTIFYs, every replica with a subscriber LISTENs (on a connection of its own, opened at
 * the first subscription), and hands each event to the subscribers of its run and to those of every
 * run. The database the replicas share anyway is the broker: no second service to run. NOTIFY is
 * not durable (a replica that is not listening misses what was sent meanwhile): subscribers start
 * from the run view and read it again when in doubt (./run-event-stream.ts).
 */
export class RunEventBus {
  private readonly databaseUrl: string;
  private publisher: pg.Pool | undefined;
  private listener: Promise<pg.Client> | undefined;
  /** The connection that LISTENs now; an error or end of any other is old news. */
  private active: pg.Client | undefined;
  private readonly byRun = new Map<string, Set<RunEventListener>>();
  private readonly everyRun = new Set<RunEventListener>();

  constructor(databaseUrl: string) {
    this.databaseUrl = databaseUrl;
  }

  async publish(events: readonly RunEvent[]): Promise<void> {
    this.publisher ??= new pg.Pool({ connectionString: this.databaseUrl, max: 2 });
    for (const payload of notifyPayloads(events)) {
      await this.publisher.query('SELECT pg_notify($1, $2)', [RUN_EVENTS_CHANNEL, payload]);
    }
  }

  /** Resolves once this replica LISTENs, so nothing published after it is missed. `runId` undefined: every run. */
  async subscribe(runId: string | undefined, listener: RunEventListener): Promise<() => void> {
    await this.listening();
    const set = runId === undefined ? this.everyRun : this.runListeners(runId);
    set.add(listener);
    return () => {
      set.delete(listener);
      if (runId !== undefined && set.size === 0) this.byRun.delete(runId);
    };
  }

  async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.active = undefined;
    await Promise.allSettled([listener?.then((client) => client.end()), this.publisher?.end()]);
  }

  private runListeners(runId: string): Set<RunEventListener> {
    let set = this.byRun.get(runId);
    if (!set) {
      set = new Set();
      this.byRun.set(runId, set);
    }
    return set;
  }

  private listening(): Promise<pg.Client> {
    this.listener ??= (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl });
      client.on('notification', (message) => this.dispatch(message.payload));
      client.on('error', (error) => this.lost(client, error));
      client.on('end', () => this.lost(client, new Error('the connection ended')));
      await client.connect();
      this.active = client;
      await client.query(`LISTEN ${RUN_EVENTS_CHANNEL}`);
      return client;
    })().catch((cause: unknown) => {
      this.listener = undefined;
      this.active = undefined;
      throw unavailable(cause);
    });
    return this.listener;
  }

  private dispatch(payload: string | undefined): void {
    const events = parsePayload(payload);
    const perRun = new Map<string, RunEvent[]>();
    for (const event of events) perRun.set(event.runId, [...(perRun.get(event.runId) ?? []), event]);
    for (const [runId, ofRun] of perRun) for (const listener of this.byRun.get(runId) ?? []) listener.onEvents(ofRun);
    for (const listener of this.everyRun) listener.onEvents(events);
  }

  private lost(client: pg.Client, cause: unknown): void {
    if (client !== this.active) return;
    this.active = undefined;
    this.listener = undefined;
    client.end().catch(() => undefined);
    const error = unavailable(cause);
    const all = [...this.everyRun, ...[...this.byRun.values()].flatMap((set) => [...set])];
    this.everyRun.clear();
    this.byRun.clear();
    for (const listener of all) listener.onLost(error);
  }
}

/** Events packed into as few NOTIFY payloads (JSON arrays) as fit under PostgreSQL's limit. */
export function notifyPayloads(events: readonly RunEvent[]): string[] {
  const payloads: string[] = [];
  let current: string[] = [];
  let bytes = 2;
  for (const event of events) {
    const json = JSON.stringify(event);
    const size = Buffer.byteLength(json) + 1;
    // The contract's limits keep one event far below the limit; a payload over it is not sent.
    if (size + 2 > MAX_NOTIFY_BYTES) continue;
    if (bytes + size > MAX_NOTIFY_BYTES) {
      payloads.push(`[${current.join(',')}]`);
      current = [];
      bytes = 2;
    }
    current.push(json);
    bytes += size;
  }
  if (current.length > 0) payloads.push(`[${current.join(',')}]`);
  return payloads;
}

function parsePayload(payload: string | undefined): RunEvent[] {
  try {
    const parsed: unknown = JSON.parse(payload ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((raw) => {
      const event = RunEventSchema.safeParse(raw);
      return event.success ? [event.data] : [];
    });
  } catch {
    return [];
  }
}

function unavailable(cause: unknown): FlowForgeError {
  return new FlowForgeError(
    'FF_UNAVAILABLE',
    `live run events: the LISTEN connection to PostgreSQL failed (${cause instanceof Error ? cause.message : String(cause)})`,
    { cause, hint: 'subscribe again: a new subscription starts from the run view', retryable: true },
  );
}
