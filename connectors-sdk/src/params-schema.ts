import { z } from 'zod';
import type { AnyNodeDescriptor } from './define-node.ts';

/**
 * The JSON Schema of a node type's parameters, from its zod schema (the one definition): the UI
 * renders parameter forms from it and the docs generator lists parameters with it.
 * `io: 'input'` describes what a workflow file may contain (defaults make fields optional, the
 * input side of transforms); `unrepresentable: 'any'` turns what JSON Schema cannot express
 * (a custom check, a Date) into `{}` instead of throwing.
 */
export function paramsJsonSchema(definition: Pick<AnyNodeDescriptor, 'params'>): Record<string, unknown> {
  return z.toJSONSchema(definition.params, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
