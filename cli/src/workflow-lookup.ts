import { FlowForgeError } from '@flowforge/connectors-sdk';

/** `workflow(name)` answered null: FF_NOT_FOUND (exit 2). */
export function workflowNotFound(name: string): FlowForgeError {
  return new FlowForgeError('FF_NOT_FOUND', `no workflow named "${name}"`, {
    path: ['workflow'],
    hint: 'flowforge workflow list --all shows what exists',
  });
}
