import type { QueueNodeTypes } from './ask-workers.ts';

export interface WorkerNodeTypesOptions {
  /** How a task queue's workers are asked (askWorkers, bound to the app's Temporal client). */
  ask: (taskQueue: string) => Promise<QueueNodeTypes>;
  /** How long an answer is reused. */
  cacheMs: number;
}

export interface KnownNodeTypes {
  offer: QueueNodeTypes;
  /** True when the offer came from the cache rather than from asking just now. */
  cached: boolean;
}

/**
 * What the workers of each task queue offer, cached per queue for a few seconds: a push, a start and
 * a catalogue listing in a row ask the workers once. Concurrent callers share one question. An answer
 * that no worker polls is not kept: asking again costs one DescribeTaskQueue call, and a worker that
 * just started is seen at once.
 */
export class WorkerNodeTypes {
  readonly #options: WorkerNodeTypesOptions;
  readonly #answers = new Map<string, QueueNodeTypes>();
  readonly #asking = new Map<string, Promise<QueueNodeTypes>>();

  constructor(options: WorkerNodeTypesOptions) {
    this.#options = options;
  }

  /** The queue's offer, from the cache when it is fresh; `refresh` asks again whatever the cache holds. */
  async of(taskQueue: string, { refresh = false } = {}): Promise<KnownNodeTypes> {
    const kept = this.#answers.get(taskQueue);
    if (!refresh && kept && Date.now() - kept.fetchedAt < this.#options.cacheMs) return { offer: kept, cached: true };
    let asking = this.#asking.get(taskQueue);
    if (!asking) {
      asking = this.#options.ask(taskQueue).finally(() => this.#asking.delete(taskQueue));
      this.#asking.set(taskQueue, asking);
    }
    const offer = await asking;
    if (offer.pollers.length > 0) this.#answers.set(taskQueue, offer);
    else this.#answers.delete(taskQueue);
    return { offer, cached: false };
  }
}
