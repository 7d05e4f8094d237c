import { validateWorkflow } from '@flowforge/connectors-sdk';
import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreLoop } from './core-loop.ts';
import { builtinRegistry } from './index.ts';

function workflow(nodes: unknown[], edges: unknown[]) {
  return { schemaVersion: 1, name: 'loops', nodes: [{ id: 'start', type: 'trigger.manual' }, ...nodes], edges };
}

const loopNodes = [
  { id: 'loop', type: 'core.loop', params: { batchSize: 2 } },
  { id: 'work', type: 'core.set', params: { values: { seen: true } } },
  { id: 'after', type: 'core.noop' },
];

describe('core.loop', () => {
  it('on its own emits the first batch on its loop port', async () => {
    const result = await runNodeForTest(coreLoop, { params: { batchSize: 2 }, items: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    expect(jsonOf(result, 'loop')).toEqual([{ n: 1 }, { n: 2 }]);
    expect(jsonOf(result, 'done')).toEqual([]);
  });

  it('refuses a batch size below 1', () => {
    const result = validateWorkflow(
      workflow([{ id: 'loop', type: 'core.loop', params: { batchSize: 0 } }], [{ from: 'start', to: 'loop' }]),
      builtinRegistry,
    );
    expect(result).toMatchObject({
      ok: false,
      issues: [{ code: 'FF_INVALID_PARAMS', path: ['nodes', 1, 'params', 'batchSize'] }],
    });
  });
});

describe('validating loops', () => {
  it('accepts a cycle out of a loop port and back into the same loop node', () => {
    const result = validateWorkflow(
      workflow(loopNodes, [
        { from: 'start', to: 'loop' },
        { from: 'loop', fromPort: 'loop', to: 'work' },
        { from: 'work', to: 'loop' },
        { from: 'loop', fromPort: 'done', to: 'after' },
      ]),
      builtinRegistry,
    );
    expect(result).toMatchObject({ ok: true });
  });

  it('accepts a loop whose body does not connect back', () => {
    const result = validateWorkflow(
      workflow(loopNodes, [
        { from: 'start', to: 'loop' },
        { from: 'loop', fromPort: 'loop', to: 'work' },
        { from: 'loop', fromPort: 'done', to: 'after' },
      ]),
      builtinRegistry,
    );
    expect(result).toMatchObject({ ok: true });
  });

  it('still rejects a cycle without a loop node, saying how to loop', () => {
    const result = validateWorkflow(
      workflow(
        [
          { id: 'x', type: 'core.noop' },
          { id: 'y', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'x' },
          { from: 'x', to: 'y' },
          { from: 'y', to: 'x' },
        ],
      ),
      builtinRegistry,
    );
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'FF_CYCLE', path: ['nodes', 1] }] });
    if (!result.ok) expect(result.issues[0]?.message).toMatch(/x → y → x; .*core\.loop node.*"loop" port/);
  });

  it("rejects a cycle that goes back into a loop from its done port's side", () => {
    const result = validateWorkflow(
      workflow(loopNodes, [
        { from: 'start', to: 'loop' },
        { from: 'loop', fromPort: 'loop', to: 'work' },
        { from: 'loop', fromPort: 'done', to: 'after' },
        { from: 'after', to: 'loop' },
      ]),
      builtinRegistry,
    );
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'FF_CYCLE' }] });
  });

  it('rejects a cycle inside a loop body that does not go through the loop node', () => {
    const result = validateWorkflow(
      workflow(
        [...loopNodes, { id: 'again', type: 'core.noop' }],
        [
          { from: 'start', to: 'loop' },
          { from: 'loop', fromPort: 'loop', to: 'work' },
          { from: 'work', to: 'again' },
          { from: 'again', to: 'work' },
          { from: 'again', to: 'loop' },
        ],
      ),
      builtinRegistry,
    );
    // "after" hangs off nothing in this file: that is reported too, beside the cycle.
    expect(result).toMatchObject({
      ok: false,
      issues: [{ code: 'FF_CYCLE' }, { code: 'FF_UNREACHABLE_NODE', path: ['nodes', 3] }],
    });
  });

  it("rejects a node that is both in a loop's body and after its done port", () => {
    const result = validateWorkflow(
      workflow(loopNodes, [
        { from: 'start', to: 'loop' },
        { from: 'loop', fromPort: 'loop', to: 'work' },
        { from: 'work', to: 'loop' },
        { from: 'loop', fromPort: 'done', to: 'after' },
        { from: 'after', to: 'work' },
      ]),
      builtinRegistry,
    );
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'FF_VALIDATION', path: ['nodes', 2] }] });
    if (!result.ok) expect(result.issues[0]?.message).toMatch(/node "work" is both in the body of loop "loop"/);
  });

  it('accepts a loop nested in the body of another, the inner done leading back to the outer loop', () => {
    const result = validateWorkflow(
      workflow(
        [
          { id: 'outer', type: 'core.loop' },
          { id: 'inner', type: 'core.loop' },
          { id: 'work', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'outer' },
          { from: 'outer', fromPort: 'loop', to: 'inner' },
          { from: 'inner', fromPort: 'loop', to: 'work' },
          { from: 'work', to: 'inner' },
          { from: 'inner', fromPort: 'done', to: 'outer' },
        ],
      ),
      builtinRegistry,
    );
    expect(result).toMatchObject({ ok: true });
  });

  it("rejects two loops that are each in the other's body", () => {
    const result = validateWorkflow(
      workflow(
        [
          { id: 'one', type: 'core.loop' },
          { id: 'two', type: 'core.loop' },
          { id: 'work', type: 'core.noop' },
        ],
        [
          { from: 'start', to: 'one' },
          { from: 'one', fromPort: 'loop', to: 'two' },
          { from: 'two', fromPort: 'loop', to: 'work' },
          { from: 'work', to: 'one' },
        ],
      ),
      builtinRegistry,
    );
    expect(result).toMatchObject({ ok: false, issues: [{ code: 'FF_CYCLE' }] });
    if (!result.ok) expect(result.issues[0]?.message).toMatch(/each inside the other's body/);
  });
});
