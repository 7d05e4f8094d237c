// `npm run docs:api`: rewrites docs/api.md from the control plane's GraphQL schema.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderApiDocs } from './api-docs.ts';

const API_DOCS_FILE = fileURLToPath(new URL('../../docs/api.md', import.meta.url));
writeFileSync(API_DOCS_FILE, renderApiDocs());
console.log(`wrote ${API_DOCS_FILE}`);
