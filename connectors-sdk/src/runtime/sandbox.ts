import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ivm from 'isolated-vm';
import { HARDENING_SOURCE } from './sandbox-hardening.ts';

/**
 * One V8 isolate (isolated-vm) for untrusted JavaScript: its own heap with a hard memory limit,
 * no Node APIs, no require, no timers, no network. Never eval/new Function/node:vm in the host:
 * those share the host's heap and globals and are not a security boundary.
 *
 * A Sandbox is one isolate's life: a lane of the SandboxPool runs one evaluation at a time in it,
 * and replaces it with a new Sandbox once it is disposed (a memory breach, a preemption, or a heap
 * left heavy). Every call gets a fresh context, hardened before anything else runs in it
 * (sandbox-hardening.ts), so nothing one evaluation does is visible to the next.
 */
export interface SandboxOptions {
  memoryLimitMb: number;
  /** isolated-vm's onCatastrophicError: V8 lost control of this isolate (it never comes back). */
  onCatastrophicError?: (message: string) => void;
}

export interface ContextOptions {
  /** Run luxon into the context (`luxon.DateTime`...): ~1 ms, so only when asked. */
  luxon: boolean;
}

const SCRIPT_CACHE_SIZE = 256;

export class Sandbox {
  readonly memoryLimitMb: number;
  readonly #isolate: ivm.Isolate;
  #scripts = new Map<string, ivm.Script>();
  #hardening: ivm.Script | undefined;
  #luxon: ivm.Script | undefined;
  #used = false;
  #heavy = false;

  constructor(options: SandboxOptions) {
    this.memoryLimitMb = options.memoryLimitMb;
    this.#isolate = new ivm.Isolate({
      memoryLimit: options.memoryLimitMb,
      ...(options.onCatastrophicError ? { onCatastrophicError: options.onCatastrophicError } : {}),
    });
  }

  get isDisposed(): boolean {
    return this.#isolate.isDisposed;
  }

  /** True until the first context is made: nothing anyone ran has left anything in its heap. */
  get isFresh(): boolean {
    return !this.#used;
  }

  /** Set once the heap was seen holding more than the share of the limit `noteIfHeavy` was asked about. */
  get isHeavy(): boolean {
    return this.#heavy;
  }

  /**
   * Looks at the heap (heap in use plus ArrayBuffer memory counted against the limit) without
   * holding up the caller: a synchronous look would wait for the isolate's thread.
   */
  noteIfHeavy(share: number): void {
    this.#isolate.getHeapStatistics().then(
      (heap) => {
        if (heap.used_heap_size + heap.externally_allocated_size > this.memoryLimitMb * 2 ** 20 * share) {
          this.#heavy = true;
        }
      },
      () => {
        // disposed meanwhile: nothing to replace
      },
    );
  }

  /** Compiles once per isolate and source; the same expressions recur across items and runs. */
  async compile(source: string, origin: { filename: string; lineOffset?: number }): Promise<ivm.Script> {
    const key = `${origin.filename}:${origin.lineOffset ?? 0}\n${source}`;
    const cached = this.#scripts.get(key);
    if (cached) {
      // Map order is insertion order: re-inserting keeps the most recently used last.
      this.#scripts.delete(key);
      this.#scripts.set(key, cached);
      return cached;
    }
    const script = await this.#isolate.compileScript(source, origin);
    this.#scripts.set(key, script);
    if (this.#scripts.size > SCRIPT_CACHE_SIZE) {
      this.#scripts.delete(this.#scripts.keys().next().value as string);
    }
    return script;
  }

  /**
   * A fresh context, hardened (sandbox-hardening.ts) by a script of its own that runs first, so no
   * declaration in later code can change what it sees. The caller releases it (`releaseQuietly`).
   */
  async createContext(options: ContextOptions): Promise<ivm.Context> {
    this.#used = true;
    const isolate = this.#isolate;
    this.#hardening ??= await isolate.compileScript(HARDENING_SOURCE, { filename: 'hardening.js' });
    const context = await isolate.createContext();
    try {
      await this.#hardening.run(context, { timeout: 1_000 });
      if (options.luxon) {
        this.#luxon ??= await isolate.compileScript(luxonSource(), { filename: 'luxon.js' });
        await this.#luxon.run(context, { timeout: 1_000 });
      }
      return context;
    } catch (error) {
      releaseQuietly(context);
      throw error;
    }
  }

  dispose(): void {
    if (!this.#isolate.isDisposed) this.#isolate.dispose();
    this.#scripts.clear();
    this.#hardening = undefined;
    this.#luxon = undefined;
  }
}

let luxonText: string | undefined;

/**
 * luxon's browser ("global") build defines `var luxon = {...}` with no imports, so it runs inside
 * an isolate as is. The package's `exports` map hides it, so find it next to the Node build.
 */
function luxonSource(): string {
  if (luxonText === undefined) {
    const nodeBuild = createRequire(import.meta.url).resolve('luxon');
    luxonText = readFileSync(join(dirname(nodeBuild), '..', 'global', 'luxon.js'), 'utf8');
  }
  return luxonText;
}

/** Releases a context; after a memory breach its isolate is already gone, which is fine. */
export function releaseQuietly(context: ivm.Context): void {
  try {
    context.release();
  } catch {
    // the isolate was disposed with everything in it
  }
}
