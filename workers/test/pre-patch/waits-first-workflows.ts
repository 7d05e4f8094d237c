/**
 * Workflows whose histories were recorded BEFORE the `waits-first` change to runDag (see
 * ../../src/workflows/start-order.ts): in each, a durable wait (core.wait) becomes ready in the same
 * step as other nodes and comes after them in the file, so the old code scheduled it last and the
 * new code schedules it first. Those histories are what the patch must keep replaying.
 */
export const waitsFirstWorkflows = [
  {
    schemaVersion: 1,
    name: 'parallel-wait',
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      { id: 'enrich', type: 'core.set', params: { values: { enriched: true } } },
      { id: 'pause', type: 'core.wait', params: { for: '1s' } },
      { id: 'combine', type: 'core.merge', params: { mode: 'append' } },
    ],
    edges: [
      { from: 'start', to: 'enrich' },
      { from: 'start', to: 'pause' },
      { from: 'enrich', to: 'combine', toPort: 'in1' },
      { from: 'pause', to: 'combine', toPort: 'in2' },
    ],
  },
  {
    schemaVersion: 1,
    name: 'two-waits-behind-work',
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      { id: 'stamp', type: 'core.set', params: { values: { stamped: true } } },
      { id: 'score', type: 'core.code', params: { mode: 'eachItem', code: 'return { score: 42 };' } },
      { id: 'short', type: 'core.wait', params: { for: '1s' } },
      { id: 'long', type: 'core.wait', params: { for: '2s' } },
    ],
    edges: [
      { from: 'start', to: 'stamp' },
      { from: 'start', to: 'score' },
      { from: 'start', to: 'short' },
      { from: 'start', to: 'long' },
    ],
  },
] as const;
