import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pipeline, Readable, type Writable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import {
  RUN_EXPORT_MANIFEST,
  type RunExportManifest,
  RunExportManifestSchema,
  type RunExportResult,
} from '@flowforge/connectors-sdk/contract';
import tar from 'tar-stream';
import type { ControlPlaneClient } from './control-plane-client.ts';

export interface ExportOptions {
  runId: string;
  /** Where to write; default `<runId>.tar.gz` in the current directory. */
  output?: string | undefined;
  /** Overwrite a file that exists. */
  force?: boolean | undefined;
}

/**
 * Downloads a run's archive (GET /runs/<runId>/export) into a `.part` file beside the target and,
 * while it streams, unpacks it on the side to check it: every entry's sha256 against the manifest,
 * and that the manifest (the last entry) arrived at all. Only a checked archive is renamed into
 * place, so a cut-off download never leaves a file that looks complete.
 */
export async function exportRun(client: ControlPlaneClient, options: ExportOptions): Promise<RunExportResult> {
  const file = resolve(options.output ?? `${options.runId.replaceAll('/', '_')}.tar.gz`);
  if (!options.force && existsSync(file)) {
    throw new FlowForgeError('FF_CONFLICT', `${file} exists already`, {
      path: ['output'],
      hint: '--force overwrites it; --output <file> writes elsewhere',
    });
  }
  const response = await client.download(`/runs/${encodeURIComponent(options.runId)}/export`);
  if (!response.body)
    throw new FlowForgeError('FF_UNAVAILABLE', 'the control plane answered the export without a body');
  const part = `${file}.part`;
  try {
    const manifest = await saveAndCheck(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), part);
    await rename(part, file);
    return { file, bytes: (await stat(file)).size, nodes: Object.keys(manifest.nodes).length };
  } catch (error) {
    await rm(part, { force: true });
    throw error;
  }
}

async function saveAndCheck(body: Readable, part: string): Promise<RunExportManifest> {
  const out = createWriteStream(part);
  const gunzip = createGunzip();
  const checked = checkArchive(gunzip);
  checked.catch(() => {}); // Awaited below, after the download; an early failure must not go unhandled.
  try {
    for await (const chunk of body) {
      await Promise.all([write(out, chunk as Buffer), write(gunzip, chunk as Buffer)]);
    }
    out.end();
    gunzip.end();
    await once(out, 'finish');
  } catch (cause) {
    out.destroy();
    gunzip.destroy();
    throw cutOff(cause);
  }
  return checked;
}

async function write(stream: Writable, chunk: Buffer): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Reads the unpacked entries: their hashes and sizes, and the manifest, which must list each as it arrived. */
async function checkArchive(gunzip: Readable): Promise<RunExportManifest> {
  const seen = new Map<string, { bytes: number; sha256: string }>();
  let manifestText: string | undefined;
  try {
    const extract = tar.extract();
    // pipeline, not pipe: a gzip stream that ends early (a cut-off download) must fail the reader too.
    pipeline(gunzip, extract, (error) => {
      if (error) extract.destroy(error);
    });
    for await (const entry of extract) {
      const hash = createHash('sha256');
      const chunks: Buffer[] = [];
      let bytes = 0;
      const isManifest = entry.header.name === RUN_EXPORT_MANIFEST;
      for await (const chunk of entry as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        if (isManifest) chunks.push(chunk);
      }
      if (isManifest) manifestText = Buffer.concat(chunks).toString('utf8');
      else seen.set(entry.header.name, { bytes, sha256: hash.digest('hex') });
    }
  } catch (cause) {
    gunzip.destroy(); // The download then stops too, instead of waiting for a reader that left.
    throw cutOff(cause);
  }
  if (manifestText === undefined) throw cutOff(new Error(`it has no ${RUN_EXPORT_MANIFEST}`));
  const manifest = RunExportManifestSchema.parse(JSON.parse(manifestText));
  const listed = [
    manifest.definition,
    manifest.input,
    ...Object.values(manifest.nodes).flatMap((n) => [n.input, n.output]),
  ];
  for (const entry of listed) {
    if (!entry) continue;
    const got = seen.get(entry.file);
    if (got?.sha256 !== entry.sha256 || got.bytes !== entry.bytes) {
      throw new FlowForgeError('FF_INTERNAL', `the archive's ${entry.file} does not match its manifest`, {
        hint: 'export again; if it happens again, the control plane log has the details',
      });
    }
  }
  return manifest;
}

function cutOff(cause: unknown): FlowForgeError {
  if (cause instanceof FlowForgeError) return cause;
  return new FlowForgeError(
    'FF_UNAVAILABLE',
    `the archive was cut off before it was complete (${(cause as Error).message ?? cause}); nothing was written`,
    { cause, hint: 'export again; the control plane log says why it stopped' },
  );
}
