import { z } from '@flowforge/connectors-sdk';
import type { ControlPlaneClient } from './control-plane-client.ts';

const PushResultSchema = z.object({ workflow: z.string(), version: z.int(), hash: z.string(), created: z.boolean() });
export type PushResult = z.infer<typeof PushResultSchema>;

/** `message` is stored with a new version (`push --message`); an unchanged push stores nothing. */
export async function pushDefinition(
  client: ControlPlaneClient,
  definition: unknown,
  message?: string,
): Promise<PushResult> {
  const data = await client.request(
    'mutation ($definition: JSON!, $message: String) { pushWorkflow(definition: $definition, message: $message) { workflow version hash created } }',
    { definition, message: message ?? null },
    z.object({ pushWorkflow: PushResultSchema }),
  );
  return data.pushWorkflow;
}
