export * from './artifact-store.ts';
export * from './claim-check.ts';
export * from './file-artifact-store.ts';
