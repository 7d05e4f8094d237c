/**
 * The runs the approval fault tests keep waiting: start → gate (core.approval, anyone may decide:
 * no roles or users) → then, optionally, a durable timer → done.
 */
export function approvalWorkflow(name: string, options: { waitAfter?: string } = {}) {
  const after = options.waitAfter
    ? [{ id: 'pause', type: 'core.wait', params: { for: options.waitAfter } }]
    : ([] as Array<{ id: string; type: string; params: Record<string, unknown> }>);
  const chain = ['start', 'gate', ...after.map((node) => node.id), 'done'];
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      { id: 'gate', type: 'core.approval', params: { message: 'Ship the order?' } },
      ...after,
      { id: 'done', type: 'core.set', params: { values: { shipped: true } } },
    ],
    edges: chain.slice(1).map((to, index) => ({
      from: chain[index] as string,
      to,
      ...(chain[index] === 'gate' ? { fromPort: 'approved' } : {}),
    })),
  };
}
