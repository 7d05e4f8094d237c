import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStoredRunInput } from '../contract/run-input.ts';
import { FileArtifactStore } from './file-artifact-store.ts';
import { loadRunInput, storeRunInputIfLarge } from './stored-run-input.ts';

describe('run inputs too big for Temporal history', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flowforge-inputs-'));
  const store = new FileArtifactStore(dir);

  it('stay inline up to the threshold and are stored past it, loaded back as they were', async () => {
    const small = { json: { x: 1 } };
    expect(await storeRunInputIfLarge(store, small, 100)).toBe(small);
    const big = { json: { pad: 'x'.repeat(1000) } };
    const ref = await storeRunInputIfLarge(store, big, 100);
    expect(ref).toMatchObject({
      $storedInput: expect.stringMatching(/^run-inputs\//),
      bytes: JSON.stringify(big).length,
    });
    expect(isStoredRunInput(ref)).toBe(true);
    expect(await loadRunInput(ref, store)).toEqual(big);
    expect(await loadRunInput(small, store)).toBe(small);
  });

  it('refuse stored bytes that are not the ones the reference (and so the signed request) names', async () => {
    const ref = await storeRunInputIfLarge(store, { json: { amount: 10, pad: 'y'.repeat(200) } }, 100);
    if (!isStoredRunInput(ref)) throw new Error('expected a stored input');
    writeFileSync(join(dir, ref.$storedInput), JSON.stringify({ json: { amount: 10_000, pad: 'y'.repeat(200) } }));
    await expect(loadRunInput(ref, store)).rejects.toMatchObject({ code: 'FF_RUN_SIGNATURE' });
  });
});
