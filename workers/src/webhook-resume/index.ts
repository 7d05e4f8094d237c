// Workflow-safe: pure types and pure checks (the signature check is the approvals' one).
export * from './contract.ts';
export * from './resume-items.ts';
