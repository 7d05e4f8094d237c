import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileArtifactStore } from './file-artifact-store.ts';

const newStore = () => new FileArtifactStore(mkdtempSync(join(tmpdir(), 'flowforge-store-test-')));

describe('FileArtifactStore', () => {
  it('stores, reads back and deletes by key', async () => {
    const store = newStore();
    await store.put('run-1/node/main-1.json', '[1,2]');
    expect(Buffer.from(await store.get('run-1/node/main-1.json')).toString()).toBe('[1,2]');
    await store.delete('run-1/node/main-1.json');
    await store.delete('run-1/node/main-1.json');
    await expect(store.get('run-1/node/main-1.json')).rejects.toMatchObject({ code: 'FF_ARTIFACT_MISSING' });
  });

  it('tells the size and streams the whole or a byte range without reading it all', async () => {
    const store = newStore();
    await store.put('run-1/node/main-2.json', '[{"a":1},{"a":2}]');
    expect(await store.size('run-1/node/main-2.json')).toBe(17);
    const read = async (range?: { start: number; end: number }) => {
      const chunks: Uint8Array[] = [];
      for await (const chunk of store.stream('run-1/node/main-2.json', range)) chunks.push(chunk);
      return Buffer.concat(chunks).toString();
    };
    expect(await read()).toBe('[{"a":1},{"a":2}]');
    expect(await read({ start: 1, end: 15 })).toBe('{"a":1},{"a":2}');
    expect(await read({ start: 1, end: 0 })).toBe('');
    await expect(store.size('run-1/none.json')).rejects.toMatchObject({ code: 'FF_ARTIFACT_MISSING' });
    const missing = async () => {
      for await (const _ of store.stream('run-1/none.json'));
    };
    await expect(missing()).rejects.toMatchObject({ code: 'FF_ARTIFACT_MISSING' });
  });

  it('refuses keys that would leave its directory', async () => {
    const store = newStore();
    await expect(store.get('../etc/passwd')).rejects.toThrow(/invalid artefact key/);
    await expect(store.put('/abs/path', 'x')).rejects.toThrow(/invalid artefact key/);
  });
});
