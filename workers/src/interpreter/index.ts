// The interpreter: plain functions over plain data, imported by the workflow and tested without Temporal.
export * from './carry-state.ts';
export * from './loops.ts';
export * from './on-error.ts';
export * from './ready-nodes.ts';
export * from './referenced-nodes.ts';
