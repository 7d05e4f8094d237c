// @flowforge/workers: the runDag workflow, its activities and the worker that runs them.

export * from './activities/contract.ts';
export type { FlowForgeActivities } from './activities/index.ts';
export * from './artifacts/index.ts';
export * from './run-state.ts';
export * from './start-options.ts';
export { createFlowForgeWorker, type FlowForgeWorkerOptions, workflowBundleOptions, workflowsPath } from './worker.ts';
