import { RUN_EVENTS_PATH, type RunEvent } from '@flowforge/connectors-sdk/contract';
import { type CredentialChannelOptions, readWorkerToken } from '../credentials/credential-channel.ts';

export interface RunEventChannelOptions {
  /** The control plane's URL and the worker token, as for credentials. */
  controlPlane: CredentialChannelOptions;
  /** Events held while the control plane is slow or away; past it the newest are dropped. Default 10,000. */
  maxQueued?: number;
  /** Events per POST. Default 500. */
  maxBatch?: number;
  /** Per POST. Default 2 s. */
  timeoutMs?: number;
  /** After a failed POST, the first pause before the next (doubling up to 30 s). Default 500 ms. */
  retryAfterMs?: number;
  /** Told (at most once a minute) that events were dropped; never gets an event's content. */
  warn?: (message: string) => void;
}

/**
 * The worker's end of the live-events path: the run-event sink pushes each event here, without
 * waiting, and one POST at a time carries whatever queued meanwhile to the control plane
 * (`POST /internal/run-events`, the worker token). A slow or dead control plane never slows or
 * fails a run: `push` is a synchronous append, a failed POST drops its batch (watchers read the run
 * view again, control-plane/src/events/run-event-stream.ts), and the queue is bounded.
 */
export class RunEventChannel {
  private readonly endpoint: URL;
  private readonly options: Required<Omit<RunEventChannelOptions, 'controlPlane' | 'warn'>>;
  private readonly warn: (message: string) => void;
  private readonly token: CredentialChannelOptions['token'];
  private queue: RunEvent[] = [];
  private sending: Promise<void> | undefined;
  private pausedUntil = 0;
  private pauseMs: number;
  private workerToken: Promise<string> | undefined;
  private dropped = 0;
  private warnedAt = 0;

  constructor(options: RunEventChannelOptions) {
    this.endpoint = new URL(RUN_EVENTS_PATH, options.controlPlane.url);
    this.token = options.controlPlane.token;
    this.options = {
      maxQueued: options.maxQueued ?? 10_000,
      maxBatch: options.maxBatch ?? 500,
      timeoutMs: options.timeoutMs ?? 2_000,
      retryAfterMs: options.retryAfterMs ?? 500,
    };
    this.pauseMs = this.options.retryAfterMs;
    this.warn = options.warn ?? (() => {});
  }

  push(event: RunEvent): void {
    if (this.queue.length >= this.options.maxQueued) {
      this.dropped += 1;
      this.warnDropped();
      return;
    }
    this.queue.push(event);
    this.sending ??= this.drain();
  }

  /** Sends what is queued (one attempt each batch); for a worker that shuts down. */
  async flush(): Promise<void> {
    this.pausedUntil = 0;
    this.sending ??= this.drain();
    await this.sending;
  }

  private async drain(): Promise<void> {
    try {
      // A turn of the event loop first: events of the same workflow task travel in one POST.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const wait = this.pausedUntil - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref());
        const batch = this.queue.splice(0, this.options.maxBatch);
        if (await this.post(batch)) {
          this.pauseMs = this.options.retryAfterMs;
        } else {
          this.dropped += batch.length;
          this.warnDropped();
          this.pausedUntil = Date.now() + this.pauseMs;
          this.pauseMs = Math.min(this.pauseMs * 2, 30_000);
        }
      }
    } finally {
      this.sending = undefined;
    }
  }

  private async post(events: RunEvent[]): Promise<boolean> {
    try {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${await this.tokenOnce()}`,
        },
        body: JSON.stringify({ events }),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  private tokenOnce(): Promise<string> {
    this.workerToken ??= readWorkerToken(this.token).catch((error: unknown) => {
      this.workerToken = undefined;
      throw error;
    });
    return this.workerToken;
  }

  private warnDropped(): void {
    if (Date.now() - this.warnedAt < 60_000) return;
    this.warnedAt = Date.now();
    this.warn(
      `${this.dropped} run event(s) could not reach the control plane at ${this.endpoint.origin} and were dropped; runs go on, watchers read the run view`,
    );
  }
}
