// Where data too big for Temporal history goes, shared by the control plane (big webhook bodies)
// and the workers (node outputs). Not workflow-safe: it does I/O.
export * from './artifact-store.ts';
export * from './file-artifact-store.ts';
export * from './stored-run-input.ts';
