/** The benchmark's workflows, built in code so their size is a parameter. */

export function setChain(name: string, length: number): unknown {
  const nodes = [{ id: 'start', type: 'trigger.manual' }];
  const edges = [];
  for (let i = 1; i <= length; i++) {
    nodes.push({
      id: `set${i}`,
      type: 'core.set',
      params: { values: { [`step${i}`]: `={{ ($json.n ?? 0) + ${i} }}` } },
    } as never);
    edges.push({ from: i === 1 ? 'start' : `set${i - 1}`, to: `set${i}` });
  }
  return { schemaVersion: 1, name, nodes, edges };
}

/** Five nodes the way real workflows look: a trigger, a transform, a branch, a join. */
export function fiveNodes(name: string): unknown {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      { id: 'enrich', type: 'core.set', params: { values: { total: '={{ $json.qty * $json.price }}' } } },
      { id: 'big', type: 'core.if', params: { condition: '={{ $json.total > 100 }}' } },
      { id: 'flag', type: 'core.set', params: { values: { review: true } } },
      { id: 'done', type: 'core.merge', params: { mode: 'append' } },
    ],
    edges: [
      { from: 'start', to: 'enrich' },
      { from: 'enrich', to: 'big' },
      { from: 'big', fromPort: 'true', to: 'flag' },
      { from: 'flag', to: 'done', toPort: 'in1' },
      { from: 'big', fromPort: 'false', to: 'done', toPort: 'in2' },
    ],
  };
}
