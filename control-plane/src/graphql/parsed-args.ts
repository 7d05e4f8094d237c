import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { z } from 'zod';

/** A resolver's arguments checked with zod; the first problem is FF_BAD_INPUT naming the argument. */
export function parsedArgs<S extends z.ZodType>(schema: S, args: unknown): z.infer<S> {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  throw new FlowForgeError('FF_BAD_INPUT', issue?.message ?? 'invalid arguments', {
    path: issue?.path.map(String) ?? [],
  });
}
