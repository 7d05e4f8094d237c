// Workflow-safe: pure types, pure checks and a pure-JS signature check (no I/O, no clocks).
export * from './check-decision.ts';
export * from './contract.ts';
export * from './verify-decision-token.ts';
