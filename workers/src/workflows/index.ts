// The workflow bundle's entry (`workflowsPath`): only deterministic code, no I/O.
export { runDag, runStateQuery } from './run-dag.ts';
