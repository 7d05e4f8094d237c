import { randomUUID } from 'node:crypto';
import {
  CredentialNameSchema,
  type CredentialTypeRegistry,
  credentialValueIssues,
  FlowForgeError,
  SecretScrubber,
  secretStringsOf,
  type z,
} from '@flowforge/connectors-sdk';
import type { CredentialSummary } from '@flowforge/connectors-sdk/contract';
import { recordAudit } from '../audit.ts';
import type { PrismaClient } from '../database.ts';
import type { Credential } from '../generated/prisma/client.ts';
import type { SecretBackend } from './secret-backend.ts';

/** What the credential code needs; built once per app (app.ts). */
export interface CredentialServices {
  backend: SecretBackend;
  types: CredentialTypeRegistry;
  /** What workers show on the resolution route (worker-token.ts). */
  workerToken: string;
}

export interface CredentialDeps {
  prisma: PrismaClient;
  projectId: string;
  credentials: CredentialServices;
}

export interface SetCredentialInput {
  name: string;
  type: string;
  value: unknown;
}

export function summaryOf(row: Pick<Credential, 'name' | 'type' | 'createdAt' | 'updatedAt'>): CredentialSummary {
  return {
    name: row.name,
    type: row.type,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Creates or replaces a credential: the value is checked with its type's zod schema (issues name
 * the field, never the value), stored by the backend, and the row and a `credential.set` audit
 * event (type, created, backend: no value) are written.
 */
export async function setCredential(
  deps: CredentialDeps,
  input: SetCredentialInput,
  actor: string,
): Promise<{ credential: CredentialSummary; created: boolean }> {
  const name = CredentialNameSchema.safeParse(input.name);
  if (!name.success) {
    throw new FlowForgeError(
      'FF_BAD_INPUT',
      `"${input.name}" is not a credential name: ${name.error.issues[0]?.message}`,
      {
        path: ['name'],
      },
    );
  }
  const type = deps.credentials.types.get(input.type);
  if (!type) {
    const known = [...deps.credentials.types.keys()].sort().join(', ');
    throw new FlowForgeError('FF_BAD_INPUT', `unknown credential type "${input.type}"; known types: ${known}`, {
      path: ['type'],
    });
  }
  const issues = credentialValueIssues(type, input.value);
  if (issues.length > 0) {
    // Our own words already; scrubbed all the same, in case a field name is what the user pasted a secret into.
    const scrubber = new SecretScrubber();
    for (const secret of secretStringsOf(undefined, input.value)) scrubber.add(secret);
    const scrubbed = scrubber.scrub(issues);
    throw new FlowForgeError(
      'FF_BAD_INPUT',
      `the value is not a valid ${type.type}: ${scrubbed.map((issue) => issue.message).join('; ')}`,
      {
        path: ['value'],
        issues: scrubbed,
        hint: `${type.type} is ${describeFields(type.schema)}; pipe it as JSON on standard input`,
      },
    );
  }
  const value = type.schema.parse(input.value);
  const { prisma, projectId } = deps;
  const existing = await prisma.credential.findUnique({ where: { projectId_name: { projectId, name: name.data } } });
  const ref = { id: existing?.id ?? randomUUID(), projectId, name: name.data, type: type.type };
  const columns = await deps.credentials.backend.store(ref, value);
  const row = await prisma.$transaction(async (tx) => {
    const written = await tx.credential.upsert({
      where: { projectId_name: { projectId, name: name.data } },
      create: { ...ref, ...columns },
      update: { type: type.type, ...columns },
    });
    await recordAudit(tx, {
      actor,
      action: 'credential.set',
      target: `credential:${name.data}`,
      data: { type: type.type, created: !existing, backend: columns.backend },
    });
    return written;
  });
  return { credential: summaryOf(row), created: !existing };
}

/** The project's credentials by name: metadata only. */
export async function listCredentials(
  deps: Pick<CredentialDeps, 'prisma' | 'projectId'>,
): Promise<CredentialSummary[]> {
  const rows = await deps.prisma.credential.findMany({
    where: { projectId: deps.projectId },
    orderBy: { name: 'asc' },
    select: { name: true, type: true, createdAt: true, updatedAt: true },
  });
  return rows.map(summaryOf);
}

/** Deletes a credential (its row, then its value in the backend) and records `credential.delete`. */
export async function deleteCredential(deps: CredentialDeps, name: string, actor: string): Promise<CredentialSummary> {
  const { prisma, projectId } = deps;
  const row = await prisma.credential.findUnique({ where: { projectId_name: { projectId, name } } });
  if (!row) throw notFound(name);
  await prisma.$transaction(async (tx) => {
    await tx.credential.delete({ where: { id: row.id } });
    await recordAudit(tx, {
      actor,
      action: 'credential.delete',
      target: `credential:${name}`,
      data: { type: row.type, backend: row.backend },
    });
  });
  await deps.credentials.backend.remove(row);
  return summaryOf(row);
}

export function notFound(name: string): FlowForgeError {
  return new FlowForgeError('FF_NOT_FOUND', `no credential named "${name}"`, {
    path: ['name'],
    hint: 'flowforge credentials list shows the names; flowforge credentials set <name> --type <type> creates one',
  });
}

/** `{ "user": string, "password": string }`: a type's fields from its JSON Schema, for a hint. */
function describeFields(schema: z.ZodType): string {
  const shape = (schema as { shape?: Record<string, { safeParse(v: unknown): { success: boolean } }> }).shape ?? {};
  const fields = Object.entries(shape).map(([key, field]) => {
    const optional = field.safeParse(undefined).success;
    return `"${key}"${optional ? '?' : ''}`;
  });
  return `{ ${fields.join(', ')} }`;
}
