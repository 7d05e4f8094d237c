import { execute } from '@oclif/core';

// Run by ./flowforge with Node 24 and tsx: oclif reads ../package.json and the explicit command list.
// Not a top-level await: when stdout closes early (`| head`), Node would warn about an unsettled await.
// execute() reports its own errors and sets the exit code.
void execute({ dir: import.meta.url });
