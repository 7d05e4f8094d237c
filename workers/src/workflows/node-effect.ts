import type { NodeEffect } from '@flowforge/connectors-sdk';
import type { LegacyExecuteNodeResult } from '../activities/contract.ts';

/**
 * The effect an executeNode result asks for. Results recorded before `effect` existed carry one
 * optional field per kind instead; they replay through the same switch in `runDag`.
 */
export function effectOf(result: LegacyExecuteNodeResult): NodeEffect | undefined {
  if (result.effect) return result.effect;
  if (result.waitUntil) return { kind: 'timer', until: result.waitUntil };
  if (result.approval) return { kind: 'approval', request: result.approval };
  if (result.webhook) return { kind: 'webhook', request: result.webhook };
  if (result.subworkflow) return { kind: 'subworkflow', request: result.subworkflow };
  return undefined;
}
