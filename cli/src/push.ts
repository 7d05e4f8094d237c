import type { ControlPlaneClient } from './control-plane-client.ts';

export interface PushResult {
  workflow: string;
  version: number;
  hash: string;
  created: boolean;
}

export async function pushDefinition(client: ControlPlaneClient, definition: unknown): Promise<PushResult> {
  const data = await client.request<{ pushWorkflow: PushResult }>(
    'mutation ($definition: JSON!) { pushWorkflow(definition: $definition) { workflow version hash created } }',
    { definition },
  );
  return data.pushWorkflow;
}
