// The engine contract: the wire types between the control plane, the workers and every client, as
// zod schemas (types are their z.infer). Workflow-safe: pure, no I/O, no clocks, no randomness.
export * from './approvals.ts';
export * from './audit.ts';
export * from './child-runs.ts';
export * from './credentials.ts';
export * from './loop-state.ts';
export * from './names.ts';
export * from './node-activity.ts';
export * from './node-types.ts';
export * from './port-output.ts';
export * from './run-events.ts';
export * from './run-export.ts';
export * from './run-input.ts';
export * from './run-request.ts';
export * from './run-state.ts';
export * from './run-view.ts';
export * from './scheduled-runs.ts';
export * from './signed-claims.ts';
export * from './start-options.ts';
export * from './webhook-response.ts';
export * from './webhook-resume.ts';
