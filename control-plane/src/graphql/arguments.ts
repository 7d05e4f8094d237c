import { FlowForgeError, formatPath, type Issue, type IssuePath, z } from '@flowforge/connectors-sdk';

/**
 * A resolver's arguments, parsed with its zod schema at the resolver boundary. GraphQL has checked
 * the types already; the schema says what the type language cannot (ranges, names, one of a few
 * strings, an object and not a list). FF_BAD_INPUT with the argument's path otherwise, every problem
 * in `issues` when there are several.
 */
export function parseArguments<S extends z.ZodType>(schema: S, args: unknown): z.infer<S> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const issues: Issue[] = parsed.error.issues.map((issue) => ({
    code: 'FF_BAD_INPUT',
    message: issue.message,
    path: issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key)) as IssuePath,
  }));
  const [first] = issues as [Issue, ...Issue[]];
  throw new FlowForgeError('FF_BAD_INPUT', `${formatPath(first.path) || 'arguments'}: ${first.message}`, {
    path: first.path,
    ...(issues.length > 1 ? { issues } : {}),
    hint: 'fix the argument named in the message (the GraphQL schema describes every argument)',
  });
}

/** A run id as the API hands them out (`run-<uuid>`, or a child run's id): any text that is not empty. */
export const RunIdSchema = z.string().min(1, { error: 'must not be empty (flowforge runs list shows run ids)' });
