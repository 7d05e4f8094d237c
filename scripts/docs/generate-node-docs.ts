// `npm run docs:nodes`: rewrites docs/nodes.md from the built-in node definitions.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinNodes } from '@flowforge/workers/nodes';
import { renderNodeDocs } from './node-docs.ts';

const NODE_DOCS_FILE = fileURLToPath(new URL('../../docs/nodes.md', import.meta.url));

mkdirSync(fileURLToPath(new URL('../../docs/', import.meta.url)), { recursive: true });
writeFileSync(NODE_DOCS_FILE, renderNodeDocs(builtinNodes));
console.log(`wrote ${NODE_DOCS_FILE} (${builtinNodes.length} node types)`);
