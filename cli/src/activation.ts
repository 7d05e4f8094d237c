import { z } from '@flowforge/connectors-sdk';

/** GraphQL Activation: what `workflow activate` and `deactivate` print with --json (a contract). */
export const ActivationSchema = z.object({
  workflow: z.string(),
  activeVersion: z.int().nullable(),
  previousVersion: z.int().nullable(),
  webhooks: z.array(z.object({ method: z.string(), path: z.string(), nodeId: z.string(), url: z.string() })),
  schedules: z.array(z.record(z.string(), z.unknown())),
});
export type Activation = z.infer<typeof ActivationSchema>;

export const ACTIVATION_FIELDS = 'workflow activeVersion previousVersion webhooks { method path nodeId url } schedules';

export function formatActivation(activation: Activation): string {
  const was = activation.previousVersion === null ? 'was inactive' : `was v${activation.previousVersion}`;
  if (activation.activeVersion === null) return `${activation.workflow}: deactivated (${was}); its triggers are off`;
  const lines = [`${activation.workflow}: v${activation.activeVersion} is active (${was})`];
  for (const webhook of activation.webhooks) lines.push(`  ${webhook.method} ${webhook.url}  (node ${webhook.nodeId})`);
  for (const schedule of activation.schedules) lines.push(`  schedule ${JSON.stringify(schedule)}`);
  return lines.join('\n');
}
