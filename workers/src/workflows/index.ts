// The workflow bundle's entry (`workflowsPath`): only deterministic code, no I/O.
export { describeNodeTypes } from './describe-node-types.ts';
export { runDag, runStateQuery } from './run-dag.ts';
