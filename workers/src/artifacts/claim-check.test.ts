import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileArtifactStore } from '@flowforge/connectors-sdk/artifacts';
import { describe, expect, it } from 'vitest';
import { checkInOutputs, checkOutInputs } from './claim-check.ts';

const newStore = () => new FileArtifactStore(mkdtempSync(join(tmpdir(), 'flowforge-store-test-')));

describe('claim check', () => {
  it('stores only ports over the threshold and loads them back in edge order', async () => {
    const store = newStore();
    const big = Array.from({ length: 100 }, (_, index) => ({ json: { index, pad: 'x'.repeat(100) } }));
    const small = [{ json: { index: -1 } }];
    const checked = await checkInOutputs({ main: big, other: small }, { store, thresholdBytes: 1000, prefix: 'r/n' });
    expect(checked.main).toMatchObject({ items: 100, $artifact: expect.stringMatching(/^r\/n\/main-/) });
    expect(checked.other).toEqual(small);
    const loaded = await checkOutInputs({ main: [small, checked.main ?? []] }, store);
    expect(loaded.main).toEqual([...small, ...big]);
  });
});
