/**
 * Where node outputs too big for Temporal history go (claim check). Keys are relative paths made
 * of `[A-Za-z0-9._-]` segments; a store may map them to files, S3 objects or anything else.
 */
export interface ArtifactStore {
  put(key: string, data: Uint8Array | string): Promise<void>;
  /** Throws FlowForgeError FF_ARTIFACT_MISSING when nothing is stored under the key. */
  get(key: string): Promise<Uint8Array>;
  /** The stored size in bytes; FF_ARTIFACT_MISSING when nothing is stored under the key. */
  size(key: string): Promise<number>;
  /**
   * The stored bytes from `start` to `end` (both inclusive, as in fs ranges; the whole when left
   * out) as a stream: a run export copies big outputs without holding one in memory.
   */
  stream(key: string, range?: ByteRange): AsyncIterable<Uint8Array>;
  /** Deleting a key that does not exist is not an error. */
  delete(key: string): Promise<void>;
}

export interface ByteRange {
  start: number;
  end: number;
}

const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Keys come from workflow state; refusing anything else keeps a store inside its root. */
export function assertArtifactKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((segment) => segment === '..')) {
    throw new Error(`invalid artefact key "${key}": segments of letters, digits, ".", "_" or "-" separated by "/"`);
  }
}
