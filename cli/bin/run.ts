import { execute } from '@oclif/core';

// Run by ./flowforge with Node 24 and tsx: oclif reads ../package.json and the explicit command list.
await execute({ dir: import.meta.url });
