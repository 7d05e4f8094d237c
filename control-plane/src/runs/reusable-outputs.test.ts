import type { WorkflowDefinition } from '@flowforge/connectors-sdk';
import type { NodeState } from '@flowforge/connectors-sdk/contract';
import { describe, expect, it } from 'vitest';
import { reusableOutputs } from './reusable-outputs.ts';

const dag = (nodes: string[], edges: Array<[string, string]>) =>
  ({
    schemaVersion: 1,
    name: 'reuse',
    nodes: nodes.map((id) => ({ id, type: 'core.noop' })),
    edges: edges.map(([from, to]) => ({ from, to, fromPort: 'main', toPort: 'main' })),
  }) as unknown as WorkflowDefinition;

const ok = (value: string): NodeState => ({
  status: 'succeeded',
  attempts: 1,
  output: { main: [{ json: { value } }] },
});
const failed: NodeState = {
  status: 'failed',
  attempts: 1,
  error: { code: 'FF_HTTP_STATUS', message: 'x', retryable: false },
};
const pending: NodeState = { status: 'pending', attempts: 0 };

describe('reusableOutputs', () => {
  it('reuses neither a core.loop that had not emitted done nor its body, and follows no back edge round', () => {
    const definition = {
      schemaVersion: 1,
      name: 'reuse-loop',
      nodes: [
        { id: 'start', type: 'trigger.manual' },
        { id: 'loop', type: 'core.loop' },
        { id: 'work', type: 'core.noop' },
      ],
      edges: [
        { from: 'start', to: 'loop', fromPort: 'main', toPort: 'main' },
        { from: 'loop', to: 'work', fromPort: 'loop', toPort: 'main' },
        { from: 'work', to: 'loop', fromPort: 'main', toPort: 'main' },
      ],
    } as unknown as WorkflowDefinition;
    const iterating: NodeState = { status: 'failed', attempts: 1, error: failed.error };
    expect(reusableOutputs(definition, { start: ok('start'), loop: iterating, work: ok('work') })).toEqual({
      start: ok('start').output,
    });
    const finished: NodeState = { status: 'succeeded', attempts: 1, output: { done: [{ json: {} }] } };
    expect(Object.keys(reusableOutputs(definition, { start: ok('start'), loop: finished, work: ok('work') }))).toEqual([
      'start',
      'loop',
      'work',
    ]);
  });

  it('reuses the succeeded nodes before the one that failed, not the failed one or those after it', () => {
    const reuse = reusableOutputs(
      dag(
        ['start', 'a', 'c', 'd'],
        [
          ['start', 'a'],
          ['a', 'c'],
          ['c', 'd'],
        ],
      ),
      {
        start: ok('start'),
        a: ok('a'),
        c: failed,
        d: pending,
      },
    );
    expect(reuse).toEqual({ start: ok('start').output, a: ok('a').output });
  });

  it('does not reuse a succeeded node downstream of a node that runs again', () => {
    const continued: NodeState = { ...failed, output: { main: [{ json: { error: 'x' } }] } };
    const reuse = reusableOutputs(
      dag(
        ['start', 'flaky', 'after'],
        [
          ['start', 'flaky'],
          ['flaky', 'after'],
        ],
      ),
      {
        start: ok('start'),
        flaky: continued,
        after: ok('after'),
      },
    );
    expect(Object.keys(reuse)).toEqual(['start']);
  });

  it('reuses a node whose other input was skipped because of reused nodes', () => {
    const reuse = reusableOutputs(
      dag(
        ['start', 'yes', 'no', 'join'],
        [
          ['start', 'yes'],
          ['start', 'no'],
          ['yes', 'join'],
          ['no', 'join'],
        ],
      ),
      { start: ok('start'), yes: ok('yes'), no: { status: 'skipped', attempts: 0 }, join: ok('join') },
    );
    expect(Object.keys(reuse)).toEqual(['start', 'yes', 'join']);
  });

  it('runs again a succeeded node whose output continue-as-new dropped, and everything after it', () => {
    const reuse = reusableOutputs(
      dag(
        ['start', 'a', 'b'],
        [
          ['start', 'a'],
          ['a', 'b'],
        ],
      ),
      {
        start: ok('start'),
        a: { status: 'succeeded', attempts: 1 },
        b: ok('b'),
      },
    );
    expect(Object.keys(reuse)).toEqual(['start']);
  });
});
