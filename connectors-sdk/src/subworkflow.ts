/**
 * What a `core.executeWorkflow` node asks the run to start (pure types: the workflow imports them).
 * `runDag` starts the linked version as a child run; with `wait` the child's result becomes the
 * node's output, otherwise the node passes on the child's run id at once.
 */
export interface SubworkflowRequest {
  workflow: string;
  /** A published version; absent: the latest when the top-level run started. */
  version?: number | undefined;
  /** The child run's input (its trigger's output). */
  input: unknown;
  wait: boolean;
}
