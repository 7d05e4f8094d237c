import { z } from 'zod';

/**
 * A condition is usually an expression ("={{ $json.total > 1000 }}") evaluated per item; its
 * result counts by JavaScript truthiness. Any value is accepted, but it must be present.
 */
export const ConditionSchema = z
  .custom<unknown>((value) => value !== undefined, {
    error: 'a condition is required, like "={{ $json.total > 100 }}"',
  })
  .describe('Expression evaluated for each item; truthy values match ("={{ $json.total > 1000 }}").');
