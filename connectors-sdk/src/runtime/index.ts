// Node-only: the sandbox (isolated-vm) lives behind this subpath, never in the package root.
export { type NodeRunRequest, type NodeRunResult, runNode } from './run-node.ts';
