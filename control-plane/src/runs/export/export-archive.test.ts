import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FileArtifactStore } from '@flowforge/connectors-sdk/artifacts';
import { type ArtifactRef, RunExportManifestSchema } from '@flowforge/connectors-sdk/contract';
import tar from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { streamRunArchive } from './export-archive.ts';
import { inputEntry, outputEntry, type RunExportPlan } from './export-plan.ts';

/**
 * The archive without a stack: a node whose input joins a stored port (read by byte range from the
 * artefact store) with inline items on one port, and whose output mixes a stored and an inline
 * port; unpacked again with tar-stream, every entry checked against the manifest, which comes last.
 */

const stored = [{ json: { a: 1 } }, { json: { a: 2 } }];
const inline = [{ json: { b: 3 } }];

async function unpack(archive: NodeJS.ReadableStream): Promise<Array<{ name: string; data: Buffer }>> {
  const extract = tar.extract();
  pipeline(archive, createGunzip(), extract, (error) => {
    if (error) extract.destroy(error);
  });
  const entries: Array<{ name: string; data: Buffer }> = [];
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
    entries.push({ name: entry.header.name, data: Buffer.concat(chunks) });
  }
  return entries;
}

describe('the run archive', () => {
  it('joins stored and inline items by port, copies stored ports whole, and lists every entry last in the manifest', async () => {
    const store = new FileArtifactStore(mkdtempSync(join(tmpdir(), 'flowforge-export-test-')));
    const json = JSON.stringify(stored);
    await store.put('run-1/src/main-1.json', json);
    const ref: ArtifactRef = { $artifact: 'run-1/src/main-1.json', bytes: Buffer.byteLength(json), items: 2 };
    const output = { main: ref, extra: inline, empty: [] };
    const plan: RunExportPlan = {
      view: { runId: 'run-1', status: 'COMPLETED', workflow: { name: 'wf', version: 2 }, nodes: {} },
      hash: 'sha256:abc',
      definition: { name: 'workflow.json', parts: [{ text: '{"name":"wf"}' }] },
      input: { name: 'run-input.json', parts: [{ text: '{"n":1}' }] },
      nodes: [
        {
          id: 'join',
          type: 'core.merge',
          view: { status: 'succeeded', attempts: 2, output },
          input: await inputEntry('nodes/join/input.json', { in1: [ref, inline], in2: [inline] }, store),
          output: await outputEntry('nodes/join/output.json', output, store),
          storedPorts: ['main'],
        },
      ],
    };
    const entries = await unpack(streamRunArchive(plan, store, new Date('2026-12-01T00:00:00Z')));
    expect(entries.map((entry) => entry.name)).toEqual([
      'workflow.json',
      'run-input.json',
      'nodes/join/input.json',
      'nodes/join/output.json',
      'manifest.json',
    ]);
    const read = (name: string) => entries.find((entry) => entry.name === name)?.data ?? Buffer.alloc(0);
    expect(JSON.parse(read('nodes/join/input.json').toString())).toEqual({ in1: [...stored, ...inline], in2: inline });
    expect(JSON.parse(read('nodes/join/output.json').toString())).toEqual({ main: stored, extra: inline, empty: [] });

    const manifest = RunExportManifestSchema.parse(JSON.parse(read('manifest.json').toString()));
    expect(manifest).toMatchObject({
      runId: 'run-1',
      workflow: { name: 'wf', version: 2, hash: 'sha256:abc' },
      exportedAt: '2026-12-01T00:00:00.000Z',
      nodes: { join: { type: 'core.merge', status: 'succeeded', attempts: 2, storedPorts: ['main'] } },
    });
    for (const file of [manifest.definition, manifest.input, manifest.nodes.join?.input, manifest.nodes.join?.output]) {
      const data = read(file?.file ?? '');
      expect({ bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') }).toEqual({
        bytes: file?.bytes,
        sha256: file?.sha256,
      });
    }
  });

  it('a stored payload that went missing cuts the archive off before its manifest', async () => {
    const store = new FileArtifactStore(mkdtempSync(join(tmpdir(), 'flowforge-export-test-')));
    await store.put('run-2/src/main-1.json', JSON.stringify(stored));
    const entry = await outputEntry(
      'nodes/a/output.json',
      { main: { $artifact: 'run-2/src/main-1.json', bytes: 1, items: 2 } },
      store,
    );
    await store.delete('run-2/src/main-1.json');
    const plan: RunExportPlan = {
      view: { runId: 'run-2', status: 'COMPLETED', workflow: { name: 'wf', version: 1 }, nodes: {} },
      hash: 'sha256:abc',
      definition: { name: 'workflow.json', parts: [{ text: '{}' }] },
      input: undefined,
      nodes: [
        {
          id: 'a',
          type: 'core.set',
          view: { status: 'succeeded', attempts: 1, output: {} },
          input: undefined,
          output: entry,
          storedPorts: ['main'],
        },
      ],
    };
    await expect(unpack(streamRunArchive(plan, store))).rejects.toThrow();
  });
});
