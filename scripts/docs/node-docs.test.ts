import { readFileSync } from 'node:fs';
import { defineNodeType } from '@flowforge/connectors-sdk';
import { builtinNodeTypes } from '@flowforge/connectors-sdk/builtin';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderNodeDocs } from './node-docs.ts';

const sample = defineNodeType({
  type: 'test.sample',
  version: 2,
  displayName: 'Sample Node',
  description: 'A node made up for this test.',
  params: z.object({
    mode: z.enum(['a', 'b']).default('a').describe('Which | way.'),
    rules: z.array(z.object({ port: z.string().describe('Where to.') })).describe('The rules.'),
    note: z.string().optional().describe('Free text.'),
  }),
  inputs: ['in1', 'in2'],
  extraInputs: /^in[3-9]$/,
  outputs: (raw) => (Array.isArray(raw.rules) ? ['x'] : []),
  group: 'integration',
  credentials: [{ name: 'mail', type: 'smtp', required: true }],
  capabilities: { pure: true },
  literalParams: ['note'],
  defaultTimeout: '1m',
});

describe('renderNodeDocs', () => {
  it('renders a section per node with id, ports, credentials and a parameter table', () => {
    const markdown = renderNodeDocs([sample]);
    expect(markdown).toContain('- [Sample Node](#sample-node) — `test.sample`');
    expect(markdown).toContain('## Sample Node\n\n`test.sample` · version 2 · Integrations · default timeout 1m');
    expect(markdown).toContain('- **Inputs:** `in1`, `in2`, plus ports matching `^in[3-9]$`');
    expect(markdown).toContain('- **Outputs:** set by the parameters');
    expect(markdown).toContain('- **Credentials:** `mail` (smtp, required)');
    expect(markdown).toContain('- **Engine:** pure: no side effects');
    expect(markdown).toContain('- **Never expressions:** `note`');
    // Cells are padded to align columns; compare them with the padding collapsed.
    const rows = markdown.replace(/ {2,}/g, ' ');
    expect(rows).toContain('| `mode` | "a" \\| "b" | no | `"a"` | Which \\| way. |');
    expect(rows).toContain('| `rules` | object[] | yes | | The rules. |');
    expect(rows).toContain('| `rules[].port` | string | yes | | Where to. |');
    expect(rows).toContain('| `note` | string | no | | Free text. |');
    expect(markdown).toMatch(/^\| Parameter {6}\| Type {7}\|/m);
  });

  it('says so when a node has no parameters', () => {
    const bare = defineNodeType({ ...sample, type: 'test.bare', params: z.object({}) });
    expect(renderNodeDocs([bare])).toContain('No parameters.');
  });
});

describe('docs/nodes.md', () => {
  it('matches the built-in node descriptors', () => {
    const committed = readFileSync(new URL('../../docs/nodes.md', import.meta.url), 'utf8');
    if (committed !== renderNodeDocs(builtinNodeTypes)) {
      expect.fail('docs/nodes.md is stale: run npm run docs:nodes');
    }
  });
});
