import { randomUUID } from 'node:crypto';
import { type WorkflowDefinition, WorkflowDefinitionSchema } from '@flowforge/connectors-sdk';
import type { RunDagInput } from '@flowforge/connectors-sdk/contract';
import {
  contentHash,
  loadPrivateKey,
  type RunRequest,
  type SignedRunRequest,
  signRunRequest,
} from '@flowforge/connectors-sdk/run-request';

export interface PreparedRun {
  runId: string;
  input: RunDagInput;
  dag: WorkflowDefinition;
}

/**
 * Builds a run as the control plane does: parse the definition (defaults filled in), hash DAG and
 * input, sign the RunRequest. No vitest here: the history recorder uses it too.
 */
export function signedRun(
  definition: unknown,
  input: unknown,
  privateKeyPem: string,
  sign: (request: RunRequest) => SignedRunRequest = (request) => signRunRequest(request, loadPrivateKey(privateKeyPem)),
): PreparedRun {
  const dag = WorkflowDefinitionSchema.parse(definition);
  const runId = `run-${dag.name}-${randomUUID().slice(0, 8)}`;
  const signed = sign({
    runId,
    versionId: `version-${randomUUID().slice(0, 8)}`,
    dagHash: contentHash(dag),
    inputHash: contentHash(input ?? null),
    trigger: { kind: 'manual', by: 'test' },
    issuedAt: new Date().toISOString(),
  });
  return { runId, dag, input: { signed, dag, input, workflow: { name: dag.name, version: 1 } } };
}
