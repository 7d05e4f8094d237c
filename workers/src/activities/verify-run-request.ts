import type { KeyObject } from 'node:crypto';
import { FlowForgeError, formatPath, type NodeRegistry, validateWorkflow } from '@flowforge/connectors-sdk';
import { verifyRunRequest as verifySignature } from '@flowforge/connectors-sdk/run-request';
import { ApplicationFailure } from '@temporalio/common';
import type { VerifiedRun, VerifyRunRequestInput } from './contract.ts';

export interface VerifyRunRequestOptions {
  registry: NodeRegistry;
  publicKey: KeyObject;
}

/**
 * The `verifyRunRequest` local activity: before any node runs, the request must be signed by the
 * control plane's key, name this run, and hash to the DAG and input it came with; then the DAG
 * must be valid for THIS worker's registry (a worker with fewer node types than the control plane
 * fails the run here, not halfway through). Local: its input never enters history.
 */
export function createVerifyRunRequest(options: VerifyRunRequestOptions) {
  return async function verifyRunRequest(input: VerifyRunRequestInput): Promise<VerifiedRun> {
    try {
      const request = verifySignature(input.signed, input.dag, input.input, options.publicKey, input.reuse);
      if (request.runId !== input.workflowId) {
        throw new FlowForgeError(
          'FF_RUN_SIGNATURE',
          `run request rejected: it was signed for run "${request.runId}", not "${input.workflowId}"`,
        );
      }
      const validation = validateWorkflow(input.dag, options.registry);
      if (!validation.ok) {
        const [first] = validation.issues;
        throw new FlowForgeError(
          first?.code ?? 'FF_VALIDATION',
          `this worker cannot run the workflow: ${validation.issues
            .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
            .join('; ')}`,
          { issues: validation.issues },
        );
      }
      const defaultTimeouts: Record<string, string> = {};
      for (const node of input.dag.nodes) {
        const definition = options.registry.get(node.type);
        if (definition) defaultTimeouts[node.id] = definition.defaultTimeout;
      }
      return { defaultTimeouts, approvalPublicKey: rawPublicKeyHex(options.publicKey) };
    } catch (error) {
      if (error instanceof FlowForgeError) {
        throw ApplicationFailure.create({ type: error.code, message: error.message, nonRetryable: true });
      }
      throw error;
    }
  };
}

/** The raw 32-byte Ed25519 key the workflow's pure-JS verifier takes (a JWK's `x` is exactly that). */
function rawPublicKeyHex(publicKey: KeyObject): string {
  const { x } = publicKey.export({ format: 'jwk' });
  return Buffer.from(x ?? '', 'base64url').toString('hex');
}
