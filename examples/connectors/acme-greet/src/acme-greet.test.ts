import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { greetNode } from './acme-greet.ts';

// runNodeForTest runs the node as a worker does: the real expression sandbox, the real params checks.
describe('acme.greet', () => {
  it('greets the name of every item, evaluated per item', async () => {
    const result = await runNodeForTest(greetNode, {
      params: { name: '={{ $json.name }}' },
      items: [{ name: 'Ada' }, { name: 'Linus' }],
    });
    expect(jsonOf(result)).toEqual([
      { name: 'Ada', greeting: 'Hello, Ada!' },
      { name: 'Linus', greeting: 'Hello, Linus!' },
    ]);
  });

  it('takes a salutation and a field', async () => {
    const result = await runNodeForTest(greetNode, {
      params: { name: 'Grace', salutation: 'Welcome', field: 'message' },
      items: [{}],
    });
    expect(jsonOf(result)).toEqual([{ message: 'Welcome, Grace!' }]);
  });

  it('refuses params without a name (FF_INVALID_PARAMS), as the control plane refuses such a workflow', async () => {
    await expect(runNodeForTest(greetNode, { params: {}, items: [{}] })).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
    });
  });
});
