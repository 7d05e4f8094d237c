import { createReadStream } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { FlowForgeError } from '../errors.ts';
import { type ArtifactStore, assertArtifactKey, type ByteRange } from './artifact-store.ts';

/** An artefact store on a local (or shared) disk: one file per key under `dir`. */
export class FileArtifactStore implements ArtifactStore {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async put(key: string, data: Uint8Array | string): Promise<void> {
    const file = this.fileOf(key);
    await mkdir(dirname(file), { recursive: true });
    // Write then rename would be atomic; keys are unique per attempt, so a half-written file is
    // never read by anyone but a later retry of the same attempt, which cannot happen.
    await writeFile(file, data);
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return await readFile(this.fileOf(key));
    } catch (error) {
      throw this.missingOr(error, key);
    }
  }

  async size(key: string): Promise<number> {
    try {
      return (await stat(this.fileOf(key))).size;
    } catch (error) {
      throw this.missingOr(error, key);
    }
  }

  async *stream(key: string, range?: ByteRange): AsyncIterable<Uint8Array> {
    // An empty range (end before start) reads nothing; createReadStream would read to the end.
    if (range && range.end < range.start) return;
    try {
      yield* createReadStream(this.fileOf(key), range ?? {});
    } catch (error) {
      throw this.missingOr(error, key);
    }
  }

  private missingOr(error: unknown, key: string): unknown {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error;
    return new FlowForgeError('FF_ARTIFACT_MISSING', `the stored data "${key}" is missing`, {
      hint: `check that every worker uses the same artefact directory (${this.dir}) and that it was not cleaned up while runs were in flight`,
      details: { key },
    });
  }

  async delete(key: string): Promise<void> {
    await rm(this.fileOf(key), { force: true });
  }

  private fileOf(key: string): string {
    assertArtifactKey(key);
    return join(this.dir, key);
  }
}
