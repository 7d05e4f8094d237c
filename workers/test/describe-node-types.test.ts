import { randomUUID } from 'node:crypto';
import { DESCRIBE_NODE_TYPES_WORKFLOW, NodeTypesAnswerSchema } from '@flowforge/connectors-sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRegistry } from './support/test-nodes.ts';
import { createEngineTestEnv, type EngineTestEnv, withWorker } from './support/test-runs.ts';

/** The catalogue channel from the worker's side: the control plane's request is this workflow. */
let env: EngineTestEnv;
beforeAll(async () => {
  env = await createEngineTestEnv();
});
afterAll(() => env?.close());

describe('describeNodeTypes', () => {
  it("answers with the worker's identity and every node type of its registry, as catalogue data", async () => {
    const answer = await withWorker(
      env,
      (taskQueue) =>
        env.client.workflow.execute(DESCRIBE_NODE_TYPES_WORKFLOW, {
          taskQueue,
          workflowId: `describe-${randomUUID()}`,
          workflowExecutionTimeout: '10s',
        }),
      { identity: 'worker-under-test' },
    );
    const parsed = NodeTypesAnswerSchema.parse(answer);
    expect(parsed.worker).toBe('worker-under-test');
    expect(parsed.types.map((type) => type.type)).toEqual([...testRegistry.keys()]);
    expect(parsed.types.find((type) => type.type === 'test.flaky')).toMatchObject({
      paramsSchema: { type: 'object', required: ['failures'] },
      inputs: ['main'],
      outputs: ['main'],
    });
  });
});
