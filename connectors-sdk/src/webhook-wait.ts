/**
 * What a `core.wait` node with `resume: "webhook"` asks the run to wait for (pure types: the
 * workflow imports them). `runDag` waits durably until the control plane delivers a POST to the
 * node's signed resume URL (a Temporal update), or until the timeout fails the node.
 */
export interface WebhookWaitRequest {
  /** A duration ("10m", "3d"), counted in workflow time from when the node starts waiting; absent: no limit. */
  timeout?: string | undefined;
}
