import { FlowForgeError } from '@flowforge/connectors-sdk';

/**
 * The async iterator a GraphQL subscription returns: pushed to by the event bus, pulled by
 * Mercurius. `return()` (the client stopped, or the socket closed) ends it at once, even while it
 * waits, and runs `onClose` once, so no listener outlives its subscriber. A subscriber that falls
 * `maxQueued` events behind is ended with an error rather than holding memory without bound.
 */
export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly maxQueued: number;
  private waiter: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  private done = false;
  private failure: unknown;
  private onClose: (() => void) | undefined;

  constructor(maxQueued = 10_000) {
    this.maxQueued = maxQueued;
  }

  /** What to undo when the subscription ends (unsubscribe, timers). */
  whenClosed(onClose: () => void): void {
    this.onClose = onClose;
    if (this.done && this.items.length === 0) this.close();
  }

  push(item: T): void {
    if (this.done) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve({ value: item, done: false });
      return;
    }
    this.items.push(item);
    if (this.items.length > this.maxQueued) {
      this.fail(
        new FlowForgeError('FF_UNAVAILABLE', `this subscriber fell ${this.maxQueued} events behind and was ended`, {
          hint: 'subscribe again: a new subscription starts from the run view',
          retryable: true,
        }),
      );
    }
  }

  /** Ends after what is queued has been read. */
  end(): void {
    this.done = true;
    if (this.items.length === 0) this.settle({ value: undefined, done: true });
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.failure = error;
    this.items.length = 0;
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = undefined;
      this.failure = undefined;
      this.close();
      reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) {
      if (this.done && this.items.length === 0) this.close();
      return Promise.resolve({ value: item, done: false });
    }
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      this.close();
      return Promise.reject(failure);
    }
    if (this.done) {
      this.close();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.done = true;
    this.items.length = 0;
    this.settle({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private settle(result: IteratorResult<T>): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    this.close();
    waiter?.resolve(result);
  }

  private close(): void {
    const onClose = this.onClose;
    this.onClose = undefined;
    onClose?.();
  }
}
