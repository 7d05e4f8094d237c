// The local stack's parts, for the benchmarks and tests that start servers of their own.
export { applyMigrations } from './migrations.ts';
export { assertPortFree, freePort, waitFor } from './ports.ts';
export { type RunningPostgres, startPostgres } from './postgres.ts';
export { type RunningTemporal, startTemporal, stopChild } from './temporal.ts';
