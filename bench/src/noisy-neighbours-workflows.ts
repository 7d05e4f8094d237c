import { readFileSync } from 'node:fs';

/**
 * The workflows of the noisy-neighbour benchmark (issue 12): hostile runs that break the sandbox's
 * time or memory limit, and innocent ones that must not notice. The hostile sources are the ones
 * the issue reports, as an attacker would type them into the builder.
 */

/** examples/hello.json, the innocent expression run (one core.set with `={{ $json.name }}`). */
export function helloWorkflow(): unknown {
  return JSON.parse(readFileSync(new URL('../../examples/hello.json', import.meta.url), 'utf8'));
}

/** start → one node: the shape of every hostile workflow here. */
function oneNode(name: string, node: Record<string, unknown>): unknown {
  return {
    schemaVersion: 1,
    name,
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      { id: 'node', ...node },
    ],
    edges: [{ from: 'start', to: 'node' }],
  };
}

const expressionNode = (name: string, expression: string) =>
  oneNode(name, { type: 'core.set', params: { values: { out: `={{ ${expression} }}` } } });

const codeNode = (name: string, code: string) => oneNode(name, { type: 'core.code', params: { code } });

export const HOSTILE = {
  /** An endless loop in an expression: stopped by the 1 s expression limit. */
  expressionLoop: () => expressionNode('noisy-expression-loop', '(() => { while (true) {} })()'),
  /** 2^25 doubles (256 MB): over the 128 MB limit. */
  expressionMemory: () => expressionNode('noisy-expression-memory', 'new Array(2 ** 25).fill(1.5).length'),
  /** An endless loop in a Code node: stopped by its 10 s limit. */
  codeLoop: () => codeNode('noisy-code-loop', 'while (true) {}'),
  /** 2e8 small objects: over the 128 MB limit long before the end. */
  codeMemory: () =>
    codeNode(
      'noisy-code-memory',
      'const all = []; for (let i = 0; i < 2e8; i++) all.push({ i }); return { n: all.length };',
    ),
  /** 1 GiB of WebAssembly memory, touched: the memory limit did not see it (issue 12, item 1). */
  codeWasm: () =>
    codeNode(
      'noisy-code-wasm',
      'const m = new WebAssembly.Memory({ initial: 16384, maximum: 16384 }); new Uint8Array(m.buffer).fill(1); return { n: m.buffer.byteLength };',
    ),
};

/** The control for expressionLoop: as many runs, as much Temporal work, no hostility. */
export const harmlessExpression = () => expressionNode('noisy-expression-harmless', '1 + 1');

/** The innocent Code node run: trivial work that must not wait behind anyone. */
export const innocentCode = () => codeNode('noisy-code-innocent', 'return items.map((item) => ({ n: items.length }));');
