import { FlowForgeError } from './errors.ts';

/** What a secret is replaced with in outputs, errors and heartbeats. */
export const REDACTED = '[redacted]';

/**
 * Shorter secrets are not scrubbed: replacing every "abc" in a node's output would mangle the data
 * while protecting nothing (a 3-character secret is guessed faster than it is hidden).
 */
export const MIN_SCRUBBED_LENGTH = 4;

/**
 * The secrets one node execution has seen (its credentials' secret fields and what it derived from
 * them), and the scrubbing of everything that leaves the execution: outputs, the effect, errors and
 * heartbeat details. Everything that leaves goes to Temporal's history, the run view and logs, where
 * a secret must never appear; scrubbing is the second line behind nodes that never put one there.
 */
export class SecretScrubber {
  readonly #secrets = new Set<string>();

  add(secret: string): void {
    if (typeof secret !== 'string' || secret.length < MIN_SCRUBBED_LENGTH) return;
    this.#secrets.add(secret);
    // The forms a secret commonly takes on its way out: URL-encoded (a query string, a form body).
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) this.#secrets.add(encoded);
  }

  get empty(): boolean {
    return this.#secrets.size === 0;
  }

  /** The text with every known secret replaced; the longest first, so a secret inside another goes with it. */
  scrubText(text: string): string {
    if (this.empty || typeof text !== 'string') return text;
    let out = text;
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /**
   * A copy of a JSON-like value with every string (keys too) scrubbed. A binary attachment is base64
   * text here: a secret inside its bytes is not seen (the base64 of a secret depends on its offset).
   */
  scrub<T>(value: T): T {
    if (this.empty) return value;
    return this.#scrubValue(value, new WeakSet()) as T;
  }

  #scrubValue(value: unknown, seen: WeakSet<object>): unknown {
    if (typeof value === 'string') return this.scrubText(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return value;
    seen.add(value);
    if (Array.isArray(value)) return value.map((entry) => this.#scrubValue(entry, seen));
    if (value instanceof Date || ArrayBuffer.isView(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) out[this.scrubText(key)] = this.#scrubValue(entry, seen);
    return out;
  }

  /**
   * An error fit to leave the execution: a FlowForgeError with message, hint, details and issues
   * scrubbed and no `cause` (a cause's text is nobody's to vouch for); other errors become a plain
   * Error with the scrubbed message. Without secrets the error passes unchanged.
   */
  scrubError(error: unknown): unknown {
    if (this.empty) return error;
    if (error instanceof FlowForgeError) {
      const scrubbed = new FlowForgeError(error.code, this.scrubText(error.message), {
        path: this.scrub([...error.path]),
        retryable: error.retryable,
        ...(error.hint ? { hint: this.scrubText(error.hint) } : {}),
        issues: this.scrub(error.issues),
        details: this.scrub(error.details),
      });
      scrubbed.stack = this.scrubText(error.stack ?? '');
      return scrubbed;
    }
    if (error instanceof Error) {
      // Cancellation and Temporal's own failures carry no node data; keep their class.
      if (error.name === 'CancelledFailure' || error.name === 'AbortError') return error;
      const plain = new Error(this.scrubText(error.message));
      plain.stack = this.scrubText(error.stack ?? '');
      return plain;
    }
    return new Error(this.scrubText(String(error)));
  }
}
