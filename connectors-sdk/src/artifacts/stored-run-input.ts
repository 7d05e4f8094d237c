import { createHash, randomUUID } from 'node:crypto';
import { isStoredRunInput, type StoredRunInput, StoredRunInputSchema } from '../contract/run-input.ts';
import { FlowForgeError } from '../errors.ts';
import type { ArtifactStore } from './artifact-store.ts';

/** Above this a run's input goes to the artefact store (as node outputs do): Temporal refuses payloads past 2 MB. */
export const STORED_RUN_INPUT_BYTES = 256 * 1024;

/** The input itself when it is small; else it is stored and the reference to it is returned. */
export async function storeRunInputIfLarge(
  store: ArtifactStore,
  input: unknown,
  thresholdBytes = STORED_RUN_INPUT_BYTES,
): Promise<unknown> {
  const json = JSON.stringify(input);
  const bytes = Buffer.byteLength(json);
  if (bytes <= thresholdBytes) return input;
  const key = `run-inputs/${randomUUID()}.json`;
  await store.put(key, json);
  return { $storedInput: key, bytes, sha256: sha256(json) } satisfies StoredRunInput;
}

/** The run's input, read from the store when it is a reference, after checking it is the signed one. */
export async function loadRunInput(input: unknown, store: ArtifactStore): Promise<unknown> {
  if (!isStoredRunInput(input)) return input;
  const ref = StoredRunInputSchema.parse(input);
  const data = Buffer.from(await store.get(ref.$storedInput));
  if (sha256(data) !== ref.sha256) {
    throw new FlowForgeError(
      'FF_RUN_SIGNATURE',
      `the run's stored input "${ref.$storedInput}" is not the one its request was signed with`,
      { hint: 'someone changed the file in the artefact store; start the run again' },
    );
  }
  return JSON.parse(data.toString('utf8')) as unknown;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
