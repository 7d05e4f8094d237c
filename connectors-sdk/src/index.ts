// Pure exports only: workflow code imports this package, so nothing here may touch I/O.
// Node-only parts are subpaths: `/run-request` (hashing, signing), `/runtime`, `/testing`.
export * from './approval.ts';
export * from './define-node.ts';
export * from './duration.ts';
export * from './errors.ts';
export * from './items.ts';
export * from './loop-graph.ts';
export * from './params-schema.ts';
export * from './subworkflow.ts';
export * from './validate-workflow.ts';
export * from './webhook-wait.ts';
export * from './workflow-definition.ts';
