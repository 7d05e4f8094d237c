import type { z } from 'zod';
import type { Issue } from './errors.ts';

/**
 * A credential type: the shape of a secret a connector uses (an API key header, a user and password,
 * OAuth2 client credentials), defined once with zod beside the connectors that use it. The control
 * plane validates every value with it when it is set; the UI renders its form from the schema's JSON
 * Schema; the worker hands the value to the node through `ctx.credential(slot)`.
 */
export interface CredentialType<S extends z.ZodType = z.ZodType, T extends string = string> {
  /** camelCase id, what `flowforge credentials set <name> --type <type>` names: `httpBasicAuth`. */
  readonly type: T;
  readonly displayName: string;
  readonly description: string;
  /** The value's schema (a zod object). Its messages must never quote the input. */
  readonly schema: S;
  /**
   * The fields whose values are secret: scrubbed from node outputs, errors and heartbeats. Other
   * fields (a user name, a header name, a token URL) stay visible. Default: every string field.
   */
  readonly secretFields?: readonly string[];
}

export type AnyCredentialType = CredentialType<z.ZodType>;
/** The credential types the control plane accepts, by type id. */
export type CredentialTypeRegistry = ReadonlyMap<string, AnyCredentialType>;

const TYPE_ID = /^[a-z][a-zA-Z0-9]{1,63}$/;

export function defineCredential<S extends z.ZodType, const T extends string>(
  definition: CredentialType<S, T>,
): CredentialType<S, T> {
  if (!TYPE_ID.test(definition.type)) {
    throw new Error(`credential type "${definition.type}" must be camelCase letters and digits, like "httpBasicAuth"`);
  }
  return Object.freeze({ ...definition });
}

export function createCredentialRegistry(types: readonly AnyCredentialType[]): CredentialTypeRegistry {
  const registry = new Map<string, AnyCredentialType>();
  for (const type of types) {
    if (registry.has(type.type)) throw new Error(`credential type "${type.type}" is defined twice`);
    registry.set(type.type, type);
  }
  return registry;
}

/**
 * Checks a value against its type. Every issue names the field (`value.password`) and says what is
 * wrong in words of our own, never zod's message: a message that quoted the input would put a
 * secret into an error, a log or a terminal.
 */
export function credentialValueIssues(type: AnyCredentialType, value: unknown): Issue[] {
  const result = type.schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const path = ['value', ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))];
    const field = issue.path.length > 0 ? `field "${issue.path.join('.')}"` : 'the value';
    return { code: 'FF_BAD_INPUT' as const, message: `${field} ${describeIssue(issue)}`, path };
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? `is missing (expected ${issue.expected})`
        : `must be of type ${issue.expected}`;
    case 'too_small':
      return `is too short or small (at least ${String(issue.minimum)})`;
    case 'too_big':
      return `is too long or big (at most ${String(issue.maximum)})`;
    case 'invalid_format':
      return `must be a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `has unknown field(s) ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return 'is invalid';
  }
}

/** Every secret string in a (validated) value: what a node run must scrub from what it gives back. */
export function secretStringsOf(type: AnyCredentialType | undefined, value: unknown): string[] {
  if (value === null || typeof value !== 'object') return typeof value === 'string' ? [value] : [];
  const fields = type?.secretFields;
  const out: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    if (fields && !fields.includes(key)) continue;
    if (typeof field === 'string') out.push(field);
    else if (field !== null && typeof field === 'object') out.push(...secretStringsOf(undefined, field));
  }
  return out;
}
