import { z } from 'zod';

/**
 * What a `core.wait` node with `resume: "webhook"` asks the run to wait for (pure: the workflow
 * imports it). `runDag` waits durably until the control plane delivers a POST to the node's signed
 * resume URL (a Temporal update), or until the timeout fails the node.
 */
export const WebhookWaitRequestSchema = z.object({
  /** A duration ("10m", "3d"), counted in workflow time from when the node starts waiting; absent: no limit. */
  timeout: z.string().optional(),
});
export type WebhookWaitRequest = z.infer<typeof WebhookWaitRequestSchema>;
