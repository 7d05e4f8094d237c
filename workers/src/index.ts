// @flowforge/workers: the runDag workflow, its activities and the worker that runs them. The wire
// types it shares with the control plane are the engine contract: @flowforge/connectors-sdk/contract.

export * from './activities/contract.ts';
export * from './artifacts/index.ts';
export { type LoadedNodePackage, loadNodePackages, registryWithPackages } from './node-packages.ts';
export { WorkerMetrics } from './observability/metrics.ts';
export { startWorkerTracing, type WorkerTracing } from './observability/tracing.ts';
export { createFlowForgeWorker, type FlowForgeWorkerOptions, workflowBundleOptions, workflowsPath } from './worker.ts';
