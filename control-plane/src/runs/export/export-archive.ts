import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { ArtifactStore } from '@flowforge/connectors-sdk/artifacts';
import {
  type ExportedFile,
  RUN_EXPORT_FORMAT,
  RUN_EXPORT_MANIFEST,
  type RunExportManifest,
} from '@flowforge/connectors-sdk/contract';
import tar from 'tar-stream';
import { type ExportEntry, partBytes, type RunExportPlan } from './export-plan.ts';

/**
 * The plan as a .tar.gz stream: entries are written one after another, stored payloads copied
 * from the store in chunks (tar-stream waits for gzip and the socket: backpressure all the way),
 * so memory stays flat whatever the run's size. Each entry's sha256 is taken as it streams, and
 * the manifest that lists them is the last entry. A failure half-way destroys the stream: the
 * client gets a cut-off archive without a manifest, never a complete-looking wrong one.
 */
export function streamRunArchive(plan: RunExportPlan, store: ArtifactStore, now = new Date()): Readable {
  const pack = tar.pack();
  const gzip = createGzip();
  const out = new PassThrough();
  pipeline(pack, gzip, out, () => {});
  writeArchive(plan, store, pack, now).catch((error: unknown) => out.destroy(error as Error));
  return out;
}

async function writeArchive(plan: RunExportPlan, store: ArtifactStore, pack: tar.Pack, now: Date): Promise<void> {
  const write = (entry: ExportEntry) => writeEntry(pack, entry, store, now);
  const definition = await write(plan.definition);
  const input = plan.input ? await write(plan.input) : null;
  const nodes: RunExportManifest['nodes'] = {};
  for (const node of plan.nodes) {
    nodes[node.id] = {
      type: node.type,
      status: node.view.status,
      attempts: node.view.attempts,
      ...(node.view.error ? { error: node.view.error } : {}),
      ...(node.view.iteration ? { iteration: node.view.iteration } : {}),
      input: node.input ? await write(node.input) : null,
      output: await write(node.output),
      storedPorts: node.storedPorts,
    };
  }
  const { view } = plan;
  const manifest: RunExportManifest = {
    format: RUN_EXPORT_FORMAT,
    formatVersion: 1,
    runId: view.runId,
    workflow: { ...view.workflow, hash: plan.hash },
    status: view.status,
    ...(view.trigger ? { trigger: view.trigger } : {}),
    ...(view.error ? { error: view.error } : {}),
    ...(view.startedAt ? { startedAt: view.startedAt } : {}),
    ...(view.finishedAt ? { finishedAt: view.finishedAt } : {}),
    exportedAt: now.toISOString(),
    ...(view.note ? { note: view.note } : {}),
    definition,
    input,
    nodes,
  };
  await write({ name: RUN_EXPORT_MANIFEST, parts: [{ text: `${JSON.stringify(manifest, null, 2)}\n` }] });
  pack.finalize();
}

async function writeEntry(pack: tar.Pack, entry: ExportEntry, store: ArtifactStore, now: Date): Promise<ExportedFile> {
  const bytes = entry.parts.reduce((sum, part) => sum + partBytes(part), 0);
  const hash = createHash('sha256');
  let finish: (error?: Error | null) => void = () => {};
  const done = new Promise<void>((resolve, reject) => {
    finish = (error) => (error ? reject(error) : resolve());
  });
  done.catch(() => {}); // Awaited below; a pack destroyed mid-entry must not be an unhandled rejection.
  const stream = pack.entry({ name: entry.name, size: bytes, mtime: now }, (error) => finish(error));
  // Its errors reach us through the callback; unheard, a destroyed entry's 'error' would crash the process.
  stream.on('error', () => {});
  const put = async (chunk: Uint8Array) => {
    hash.update(chunk);
    if (stream.write(chunk)) return;
    // A client that went away destroys the streams: 'close' instead of 'drain', and the export stops.
    await Promise.race([once(stream, 'drain'), once(stream, 'close')]);
    if (stream.destroyed) throw new Error('the archive stream was closed before it was complete');
  };
  for (const part of entry.parts) {
    if ('text' in part) await put(Buffer.from(part.text));
    else if (part.end >= part.start) {
      for await (const chunk of store.stream(part.artifact, { start: part.start, end: part.end })) await put(chunk);
    }
  }
  stream.end(() => {}); // (streamx: a function is a 'finish' listener, as in Node)
  await done;
  return { file: entry.name, bytes, sha256: hash.digest('hex') };
}
