/// <reference path="../../scripts/test-env/global-setup.ts" />
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startTestStack } from '../../scripts/test-env/local-stack.ts';
import { shimCalls } from './support/cli-shim.ts';

/**
 * Version history through the ./flowforge shim against a control plane and a worker on real
 * Temporal: `workflow versions|diff|pull|archive|unarchive`, `push --message`, rollback by
 * activating an older version. Output shapes and exit codes are a contract (issue 9).
 */

/** Who startTestStack's API key acts for. */
const ACTOR = 'api-key:local-stack';
/** Each CLI call is a Node process: a test with many of them takes longer than the suite's default. */
const SLOW = 240_000;

let stack: LocalStack;
let scratch: string;

const { cli, json } = shimCalls(() => ({ url: stack.url, apiKey: stack.apiKey, home: scratch }));

/** A webhook workflow on `/webhook/<path>` that answers `{ answer }`: which version answered shows. */
function webhookFile(name: string, path: string, answer: string, extra: { settings?: object } = {}): string {
  const file = join(scratch, `${name}-${answer}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      schemaVersion: 1,
      name,
      ...extra,
      nodes: [
        { id: 'hook', type: 'trigger.webhook', params: { path } },
        { id: 'reply', type: 'core.set', params: { keepOnlySet: true, values: { answer } } },
      ],
      edges: [{ from: 'hook', to: 'reply' }],
    }),
  );
  return file;
}

async function callHook(path: string) {
  const response = await fetch(`${stack.url}/webhook/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const text = await response.text();
  return { status: response.status, body: (text.startsWith('{') ? JSON.parse(text) : text) as Record<string, unknown> };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cli-versions-'));
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('flowforge workflow versions and push --message', () => {
  it(
    'lists every version newest first with hash, message, createdAt, actor and active',
    async () => {
      const name = uniqueName('cli-ver');
      const path = uniqueName('ver');
      const first = await json(['workflow', 'push', webhookFile(name, path, 'one'), '--message', 'first cut']);
      const second = await json(['workflow', 'push', webhookFile(name, path, 'two')]);
      await json(['workflow', 'activate', name, '--version', '1']);

      const versions = await json(['workflow', 'versions', name]);
      expect(versions).toEqual([
        {
          version: 2,
          hash: second.hash,
          message: null,
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          actor: ACTOR,
          active: false,
        },
        {
          version: 1,
          hash: first.hash,
          message: 'first cut',
          createdAt: expect.any(String),
          actor: ACTOR,
          active: true,
        },
      ]);
      expect(Object.keys(versions[0])).toEqual(['version', 'hash', 'message', 'createdAt', 'actor', 'active']);

      const table = await cli(['workflow', 'versions', name]);
      expect(table.code).toBe(0);
      const lines = table.stdout.trim().split('\n');
      expect(lines[0]).toMatch(/^VERSION\s+ACTIVE\s+CREATED\s+BY\s+HASH\s+MESSAGE$/);
      expect(lines[1]).toMatch(/^v2\s+\S+T\S+\s+api-key:local-stack\s+sha256:[0-9a-f]{12}$/);
      expect(lines[2]).toMatch(/^v1\s+active\s+.*first cut$/);
    },
    SLOW,
  );

  it(
    'an unchanged push keeps its version and stores no message; an unknown workflow is FF_NOT_FOUND, exit 2',
    async () => {
      const name = uniqueName('cli-ver');
      const file = webhookFile(name, uniqueName('ver'), 'one');
      await json(['workflow', 'push', file, '-m', 'kept']);
      const again = await cli(['workflow', 'push', file, '--message', 'ignored']);
      expect(again.stdout).toMatch(/unchanged: still version 1/);
      expect(again.stderr).toMatch(/the message was not stored: version 1 has this content already/);
      expect((await json(['workflow', 'versions', name])).map((v: { message: string }) => v.message)).toEqual(['kept']);

      const missing = await cli(['workflow', 'versions', uniqueName('ghost')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^FF_NOT_FOUND: no workflow named/);
    },
    SLOW,
  );
});

describe('flowforge workflow diff', () => {
  it(
    '--json is exactly { nodes: { added, removed, changed }, edges: { added, removed }, settings: { changed } }',
    async () => {
      const name = uniqueName('cli-diff');
      const path = uniqueName('diff');
      await json(['workflow', 'push', webhookFile(name, path, 'one')]);
      const v2 = join(scratch, `${name}-v2.json`);
      writeFileSync(
        v2,
        JSON.stringify({
          schemaVersion: 1,
          name,
          settings: { timeout: '1h' },
          nodes: [
            { id: 'hook', type: 'trigger.webhook', params: { path } },
            { id: 'reply', type: 'core.set', params: { keepOnlySet: true, values: { answer: 'two', extra: 1 } } },
            { id: 'log', type: 'core.noop' },
          ],
          edges: [
            { from: 'hook', to: 'reply' },
            { from: 'reply', to: 'log' },
          ],
        }),
      );
      await json(['workflow', 'push', v2]);

      expect(await json(['workflow', 'diff', name, '1', '2'])).toEqual({
        nodes: {
          added: ['log'],
          removed: [],
          changed: [{ id: 'reply', paths: ['params.values.answer', 'params.values.extra'] }],
        },
        edges: { added: [{ from: 'reply', fromPort: 'main', to: 'log', toPort: 'main' }], removed: [] },
        settings: { changed: ['timeout'] },
      });
      const back = await json(['workflow', 'diff', name, '2', '1']);
      expect(back.nodes.removed).toEqual(['log']);
      expect(back.edges.removed).toEqual([{ from: 'reply', fromPort: 'main', to: 'log', toPort: 'main' }]);

      const text = await cli(['workflow', 'diff', name, '1', '2']);
      expect(text.code).toBe(0);
      expect(text.stdout.trim().split('\n')).toEqual([
        `${name}: v1 -> v2`,
        'nodes',
        '  + log',
        '  ~ reply: params.values.answer, params.values.extra',
        'edges',
        '  + reply:main->log:main',
        'settings',
        '  ~ timeout',
      ]);
      expect((await cli(['workflow', 'diff', name, '2', '2'])).stdout).toMatch(/v2 and v2 are the same/);
    },
    SLOW,
  );

  it(
    'an unknown version is FF_NOT_FOUND naming the versions there are, exit 2; a version that is not a number is exit 2',
    async () => {
      const name = uniqueName('cli-diff');
      await json(['workflow', 'push', webhookFile(name, uniqueName('diff'), 'one')]);
      const missing = await cli(['workflow', 'diff', name, '1', '7', '--json']);
      expect(missing.code).toBe(2);
      expect(JSON.parse(missing.stdout).error).toMatchObject({
        code: 'FF_NOT_FOUND',
        message: `workflow "${name}" has no version 7`,
      });
      expect(missing.stderr).toContain('its versions are 1 to 1');
      expect((await cli(['workflow', 'diff', name, '1', 'two'])).code).toBe(2);
    },
    SLOW,
  );
});

describe('flowforge workflow pull', () => {
  it(
    'writes a file that pushes back to the same version and hash, latest or --version N, to a file or stdout',
    async () => {
      const name = uniqueName('cli-pull');
      const path = uniqueName('pull');
      const v1 = await json(['workflow', 'push', webhookFile(name, path, 'one', { settings: { timeout: '5m' } })]);
      const v2 = await json(['workflow', 'push', webhookFile(name, path, 'two')]);

      const file = join(scratch, `${name}-pulled.json`);
      expect(await json(['workflow', 'pull', name, '--output', file])).toEqual({
        workflow: name,
        version: 2,
        hash: v2.hash,
        file,
      });
      const pulled = JSON.parse(readFileSync(file, 'utf8'));
      expect(Object.keys(pulled)).toEqual(['schemaVersion', 'name', 'settings', 'nodes', 'edges']);
      expect(pulled.nodes[1].params.values).toEqual({ answer: 'two' });
      const back = await cli(['workflow', 'push', file]);
      expect(back.code, back.stderr).toBe(0);
      expect(back.stdout).toBe(`${name}: unchanged: still version 2  ${v2.hash}\n`);

      const old = await cli(['workflow', 'pull', name, '--version', '1']);
      expect(old.code).toBe(0);
      expect(JSON.parse(old.stdout).settings).toEqual({ timeout: '5m' });
      const oldFile = join(scratch, `${name}-v1.json`);
      writeFileSync(oldFile, old.stdout);
      expect(await json(['workflow', 'push', oldFile])).toEqual({ workflow: name, version: 1, hash: v1.hash });
      expect((await json(['workflow', 'versions', name])).length).toBe(2);

      const missing = await cli(['workflow', 'pull', name, '--version', '9']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^FF_NOT_FOUND: workflow ".*" has no version 9/);
    },
    SLOW,
  );
});

describe('rollback and archive', () => {
  it(
    'activating an older version rolls the webhook back to it',
    async () => {
      const name = uniqueName('cli-roll');
      const path = uniqueName('roll');
      await json(['workflow', 'push', webhookFile(name, path, 'one')]);
      await json(['workflow', 'push', webhookFile(name, path, 'two')]);
      expect(await json(['workflow', 'activate', name])).toMatchObject({ activeVersion: 2, previousVersion: null });
      expect(await callHook(path)).toEqual({ status: 200, body: { answer: 'two' } });

      expect(await json(['workflow', 'activate', name, '--version', '1'])).toMatchObject({
        activeVersion: 1,
        previousVersion: 2,
      });
      expect(await callHook(path)).toEqual({ status: 200, body: { answer: 'one' } });
      const active = (await json(['workflow', 'versions', name])).map((v: { active: boolean }) => v.active);
      expect(active).toEqual([false, true]);
    },
    SLOW,
  );

  it(
    'archive: the webhook 404s, push/activate/run refuse with FF_ARCHIVED (exit 1), runs and versions stay readable, list hides it',
    async () => {
      const name = uniqueName('cli-arch');
      const path = uniqueName('arch');
      const file = webhookFile(name, path, 'one');
      await json(['workflow', 'push', file]);
      await json(['workflow', 'activate', name]);
      expect((await callHook(path)).status).toBe(200);
      const runs = await json(['runs', 'list', '--workflow', name]);
      expect(runs).toHaveLength(1);

      expect(await json(['workflow', 'archive', name])).toEqual({
        workflow: name,
        archived: true,
        archivedAt: expect.stringMatching(/^\d{4}-/),
        previousVersion: 1,
      });
      expect((await callHook(path)).status).toBe(404);

      for (const args of [
        ['workflow', 'push', webhookFile(name, path, 'two')],
        ['workflow', 'activate', name],
        ['run', name],
      ]) {
        const refused = await cli(args);
        expect(refused.code, args.join(' ')).toBe(1);
        expect(refused.stderr).toMatch(
          new RegExp(`^FF_ARCHIVED: cannot \\w+( to)? workflow "${name}": it was archived at`),
        );
        expect(refused.stderr).toContain(`flowforge workflow unarchive ${name}`);
      }

      const runIds = (list: Array<{ runId: string }>) => list.map((run) => run.runId);
      expect(runIds(await json(['runs', 'list', '--workflow', name]))).toEqual(runIds(runs));
      expect(await json(['workflow', 'versions', name])).toEqual([
        expect.objectContaining({ version: 1, active: false }),
      ]);
      const names = async (args: string[]) => (await json(args)).map((w: { name: string }) => w.name);
      expect(await names(['workflow', 'list'])).not.toContain(name);
      expect(await json(['workflow', 'list', '--archived'])).toEqual([
        { name, latestVersion: 1, activeVersion: null, versions: [expect.any(Object)], archived: true },
      ]);
      expect(await names(['workflow', 'list', '--all'])).toContain(name);
      expect((await cli(['workflow', 'list', '--all'])).stdout).toMatch(
        new RegExp(`${name}\\s+v1\\s+1 version\\s+archived`),
      );

      expect(await json(['workflow', 'unarchive', name])).toEqual({
        workflow: name,
        archived: false,
        archivedAt: null,
        previousVersion: null,
      });
      expect((await callHook(path)).status).toBe(404);
      expect(await names(['workflow', 'list'])).toContain(name);
      await json(['workflow', 'activate', name]);
      expect(await callHook(path)).toEqual({ status: 200, body: { answer: 'one' } });
    },
    SLOW,
  );
});
