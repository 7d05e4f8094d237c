import { ERROR_PORT, type Item, MAIN_PORT, type OnError, type SerializedError } from '@flowforge/connectors-sdk';
import type { PortOutput } from '@flowforge/connectors-sdk/contract';
import { assertNever } from './ready-nodes.ts';

/** What a node's failure does to the run, from its `onError` setting. */
export type FailureOutcome = { stopsRun: true } | { stopsRun: false; output: Record<string, PortOutput> };

/** The item a failed node passes on with `continue` or `errorOutput`, as n8n does: `{ json: { error } }`. */
export function errorItem(error: SerializedError): Item {
  return { json: { error: { ...error } } };
}

export function failureOutcome(onError: OnError, error: SerializedError): FailureOutcome {
  switch (onError) {
    case 'stop':
      return { stopsRun: true };
    case 'continue':
      return { stopsRun: false, output: { [MAIN_PORT]: [errorItem(error)] } };
    // The normal outputs stay dead: only the `error` port fires.
    case 'errorOutput':
      return { stopsRun: false, output: { [ERROR_PORT]: [errorItem(error)] } };
    default:
      return assertNever(onError, 'onError setting');
  }
}
