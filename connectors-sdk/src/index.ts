// Pure exports only: workflow code imports this package, so nothing here may touch I/O.
// Other parts are subpaths: `/contract` (the engine's wire types, also pure), `/builtin` (the
// built-in node descriptors), `/run-request` (hashing, signing), `/runtime`, `/testing`.
export { z } from 'zod';
export * from './approval.ts';
export * from './credential-slots.ts';
export * from './define-credential.ts';
export * from './define-node.ts';
export * from './duration.ts';
export * from './errors.ts';
export * from './graph/loops.ts';
export * from './graph/workflow-graph.ts';
export * from './items.ts';
export * from './json-depth.ts';
export * from './node-effect.ts';
export * from './params-rows.ts';
export * from './params-schema.ts';
export * from './secret-scrubber.ts';
export * from './subworkflow.ts';
export * from './validate-workflow.ts';
export * from './webhook-wait.ts';
export * from './workflow-definition.ts';
export * from './workflow-diff.ts';
