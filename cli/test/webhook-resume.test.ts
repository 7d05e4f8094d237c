/// <reference path="../../scripts/test-env/global-setup.ts" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startLocalStack } from '../../scripts/test-env/local-stack.ts';
import { type CliResult, runShim } from './support/cli-shim.ts';

/** `flowforge runs show` prints where to POST to resume a core.wait node waiting for its webhook. */

let stack: LocalStack;
let scratch: string;

function cli(args: string[]): Promise<CliResult> {
  return runShim({ url: stack.url, apiKey: stack.apiKey, home: scratch }, args);
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cli-resume-'));
  const databaseUrl = await createTestDatabase(inject('postgresUrl'));
  stack = await startLocalStack({ databaseUrl, temporalAddress: inject('temporalAddress') });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('flowforge runs show and a core.wait resume webhook', () => {
  it('prints the resume URL of the waiting node; a POST to it lets the run complete with the body', async () => {
    const name = uniqueName('cli-resume');
    await stack.graphql('mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }', {
      d: {
        schemaVersion: 1,
        name,
        nodes: [
          { id: 'start', type: 'trigger.manual' },
          { id: 'hook', type: 'core.wait', params: { resume: 'webhook', timeout: '1h' } },
        ],
        edges: [{ from: 'start', to: 'hook' }],
      },
    });
    const { startRun } = await stack.graphql<{ startRun: { runId: string } }>(
      'mutation ($w: String!) { startRun(workflow: $w) { runId } }',
      { w: name },
    );
    const runId = startRun.runId;

    let shown = '';
    for (let tries = 0; tries < 100 && !/hook\s+waiting/.test(shown); tries++) {
      shown = (await cli(['runs', 'show', runId])).stdout;
      if (!/hook\s+waiting/.test(shown)) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const line = /waiting for a POST \(JSON body\) to (\S+) since \S+ until \S+/.exec(shown);
    expect(line?.[1]).toMatch(new RegExp(`^${stack.url}/webhook/resume/[\\w-]+\\.[\\w-]+$`));
    const json = JSON.parse((await cli(['runs', 'show', runId, '--json'])).stdout);
    expect(json.nodes.hook.waiting).toEqual({
      for: 'webhook',
      url: line?.[1],
      since: expect.any(String),
      until: expect.any(String),
    });

    const response = await fetch(line?.[1] ?? '', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signedBy: 'partner' }),
    });
    expect(response.status).toBe(200);
    const { run } = await stack.graphql<{ run: { status: string; nodes: Record<string, { output: unknown }> } }>(
      'query ($id: ID!) { run(id: $id, waitSeconds: 30) { status nodes } }',
      { id: runId },
    );
    expect(run.status).toBe('COMPLETED');
    expect(run.nodes.hook?.output).toEqual({ main: [{ json: { signedBy: 'partner' } }] });
  });
});
