// `npm run docs:nodes`: rewrites docs/nodes.md from the built-in node descriptors.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinNodeTypes } from '@flowforge/connectors-sdk/builtin';
import { renderNodeDocs } from './node-docs.ts';

const NODE_DOCS_FILE = fileURLToPath(new URL('../../docs/nodes.md', import.meta.url));

mkdirSync(fileURLToPath(new URL('../../docs/', import.meta.url)), { recursive: true });
writeFileSync(NODE_DOCS_FILE, renderNodeDocs(builtinNodeTypes));
console.log(`wrote ${NODE_DOCS_FILE} (${builtinNodeTypes.length} node types)`);
