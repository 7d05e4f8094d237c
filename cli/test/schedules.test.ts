/// <reference path="../../scripts/test-env/global-setup.ts" />
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startTestStack } from '../../scripts/test-env/local-stack.ts';
import { shimCalls } from './support/cli-shim.ts';

/**
 * `flowforge schedules list|pause|resume|trigger` and the schedule's runs in `runs show` and
 * `runs list`, through the ./flowforge shim against a control plane and a worker on real Temporal.
 * Output shapes and exit codes are a contract.
 */

let stack: LocalStack;
let scratch: string;

const { cli, json } = shimCalls(() => ({ url: stack.url, apiKey: stack.apiKey, home: scratch }));

function scheduledFile(name: string, trigger: Record<string, unknown>): string {
  const file = join(scratch, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      schemaVersion: 1,
      name,
      nodes: [
        { id: 'clock', type: 'trigger.schedule', params: trigger },
        { id: 'stamp', type: 'core.set', params: { values: { at: '={{ $json.scheduledAt }}' } } },
      ],
      edges: [{ from: 'clock', to: 'stamp' }],
    }),
  );
  return file;
}

async function activated(trigger: Record<string, unknown>): Promise<string> {
  const name = uniqueName('cli-sched');
  await json(['workflow', 'push', scheduledFile(name, trigger)]);
  await json(['workflow', 'activate', name]);
  return name;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cli-schedules-'));
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('flowforge schedules', () => {
  it('list prints [{ workflow, version, spec, nextRuns, paused }]; pause and resume print the same, flipped', async () => {
    const spec = { cron: '15 3 * * *', timezone: 'Asia/Tokyo' };
    const name = await activated(spec);
    type Listed = { workflow: string; nextRuns: string[]; paused: boolean };
    const mine = (list: Listed[]): Listed[] => list.filter((schedule) => schedule.workflow === name);

    const [listed, ...more] = mine(await json(['schedules', 'list']));
    expect(more).toEqual([]);
    if (!listed) throw new Error(`${name} is not listed`);
    expect(Object.keys(listed)).toEqual(['workflow', 'version', 'spec', 'nextRuns', 'paused']);
    expect(listed).toMatchObject({ workflow: name, version: 1, spec, paused: false });
    // 03:15 in Tokyo is 18:15 UTC.
    expect(listed.nextRuns[0]).toMatch(/T18:15:00\.000Z$/);
    expect(await json(['schedules', 'list', '--workflow', name])).toEqual([listed]);

    expect(await json(['schedules', 'pause', name])).toEqual([
      expect.objectContaining({ workflow: name, paused: true }),
    ]);
    expect(mine(await json(['schedules', 'list']))[0]?.paused).toBe(true);
    const readable = await cli(['schedules', 'list', '--workflow', name]);
    expect(readable.stdout).toMatch(new RegExp(`${name} v1 clock\\s+paused`));
    expect(await json(['schedules', 'resume', name])).toEqual([expect.objectContaining({ paused: false })]);
  });

  it('trigger starts a run of the schedule: runs show and runs list carry trigger.kind "schedule"', async () => {
    const name = await activated({ cron: '0 0 1 1 *' });
    const [started, ...more] = await json(['schedules', 'trigger', name]);
    expect(more).toEqual([]);
    expect(started).toEqual({ workflow: name, version: 1, nodeId: 'clock', runId: expect.any(String) });

    let shown = await json(['runs', 'show', started.runId]);
    for (let i = 0; shown.status === 'RUNNING' && i < 60; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      shown = await json(['runs', 'show', started.runId]);
    }
    expect(shown).toMatchObject({
      runId: started.runId,
      status: 'COMPLETED',
      workflow: { name, version: 1 },
      trigger: { kind: 'schedule', schedule: { nodeId: 'clock' }, scheduledAt: expect.any(String) },
    });
    expect(Object.keys(shown)).toEqual(['runId', 'status', 'workflow', 'trigger', 'nodes']);
    expect(shown.nodes.clock.output.main[0].json).toEqual({
      scheduledAt: shown.trigger.scheduledAt,
      firedAt: expect.any(String),
      timezone: 'UTC',
    });

    const runs = await json(['runs', 'list', '--workflow', name]);
    expect(runs).toEqual([
      expect.objectContaining({
        runId: started.runId,
        status: 'COMPLETED',
        trigger: expect.objectContaining({ kind: 'schedule' }),
      }),
    ]);
  });

  it('refuses a workflow without schedules with FF_NOT_FOUND (exit 2), saying why', async () => {
    const unknown = await cli(['schedules', 'trigger', uniqueName('nope')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^FF_NOT_FOUND: no workflow named/);

    const name = uniqueName('cli-inactive');
    await json(['workflow', 'push', scheduledFile(name, { every: '1h' })]);
    const inactive = await cli(['schedules', 'pause', name, '--json']);
    expect(inactive.code).toBe(2);
    expect(JSON.parse(inactive.stdout).error).toMatchObject({
      code: 'FF_NOT_FOUND',
      message: `workflow "${name}" is not active, so it has no schedules`,
      hint: expect.stringContaining(`flowforge workflow activate ${name}`),
    });
  });

  it('refuses a bad cron at push (exit 2), naming the field', async () => {
    const file = scheduledFile(uniqueName('cli-bad-cron'), { cron: '61 * * * *' });
    const result = await cli(['workflow', 'push', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/FF_INVALID_PARAMS\s+nodes\[0\]\.params\.cron\s+.*"61 \* \* \* \*"/);
    const both = await cli([
      'workflow',
      'push',
      scheduledFile(uniqueName('cli-both'), { cron: '* * * * *', every: '1m' }),
      '--json',
    ]);
    expect(both.code).toBe(2);
    expect(JSON.parse(both.stdout).error.issues).toEqual([
      expect.objectContaining({ code: 'FF_INVALID_PARAMS', path: ['nodes', 0, 'params', 'cron'] }),
    ]);
  });
});
