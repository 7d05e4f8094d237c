import { z } from '@flowforge/connectors-sdk';
import type { ControlPlaneClient } from './control-plane-client.ts';

const PushResultSchema = z.object({ workflow: z.string(), version: z.int(), hash: z.string(), created: z.boolean() });
export type PushResult = z.infer<typeof PushResultSchema>;

export async function pushDefinition(client: ControlPlaneClient, definition: unknown): Promise<PushResult> {
  const data = await client.request(
    'mutation ($definition: JSON!) { pushWorkflow(definition: $definition) { workflow version hash created } }',
    { definition },
    z.object({ pushWorkflow: PushResultSchema }),
  );
  return data.pushWorkflow;
}
