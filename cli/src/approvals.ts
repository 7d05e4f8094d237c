import { FlowForgeError, z } from '@flowforge/connectors-sdk';
import { type PendingApproval, PendingApprovalSchema } from '@flowforge/connectors-sdk/contract';
import { Args, Flags } from '@oclif/core';
import type { ControlPlaneClient } from './control-plane-client.ts';
import { RUN_VIEW_FIELDS, type RunView, runAnswer } from './run-view.ts';

export type { PendingApproval } from '@flowforge/connectors-sdk/contract';

export async function listApprovals(client: ControlPlaneClient): Promise<PendingApproval[]> {
  const data = await client.request(
    '{ approvals { runId workflow { name version } nodeId message roles users fields onTimeout since until } }',
    {},
    z.object({ approvals: z.array(PendingApprovalSchema) }),
  );
  return data.approvals;
}

/** approve and reject share their arguments and flags. */
export const decisionArgs = { runId: Args.string({ description: 'the waiting run', required: true }) };
export const decisionFlags = {
  node: Flags.string({ description: 'the waiting approval node (needed when the run waits for several)' }),
  comment: Flags.string({ description: 'a comment kept with the decision' }),
  field: Flags.string({
    description: 'a form value, name=value (repeatable); value is read as JSON when it parses (5, true), else text',
    multiple: true,
  }),
};

export interface DecisionOptions {
  node?: string | undefined;
  comment?: string | undefined;
  field?: string[] | undefined;
}

export async function decide(
  client: ControlPlaneClient,
  verb: 'approve' | 'reject',
  runId: string,
  options: DecisionOptions,
): Promise<RunView> {
  const data = await client.request(
    `mutation ($r: ID!, $n: String, $c: String, $f: JSON) {
      ${verb}(runId: $r, nodeId: $n, comment: $c, fields: $f) { ${RUN_VIEW_FIELDS} }
    }`,
    {
      r: runId,
      n: options.node ?? null,
      c: options.comment ?? null,
      f: options.field ? parseFields(options.field) : null,
    },
    runAnswer(verb),
  );
  return data[verb];
}

/** `--field amount=5 --field note=rush` → { amount: 5, note: "rush" }; FF_BAD_INPUT (exit 2) without "=". */
export function parseFields(pairs: readonly string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new FlowForgeError('FF_BAD_INPUT', `--field ${pair}: expected name=value`, {
        path: ['--field'],
        hint: 'for example --field amount=5 --field note="rush order"',
      });
    }
    const text = pair.slice(at + 1);
    let value: unknown = text;
    try {
      const parsed: unknown = JSON.parse(text);
      // Only scalars: an approver types numbers and booleans; anything else stays the text it was.
      if (['number', 'boolean', 'string'].includes(typeof parsed)) value = parsed;
    } catch {
      // Not JSON: plain text.
    }
    fields[pair.slice(0, at)] = value;
  }
  return fields;
}

/** The readable list: one line per waiting approval, then its message. */
export function formatApprovals(approvals: readonly PendingApproval[]): string {
  if (approvals.length === 0) return 'no approvals are waiting for you';
  const lines: string[] = [];
  for (const approval of approvals) {
    const who = [...approval.roles.map((r) => `role ${r}`), ...approval.users.map((u) => `user ${u}`)].join(' or ');
    const until = approval.until ? `  until ${approval.until} (then ${approval.onTimeout})` : '';
    lines.push(
      `${approval.runId}  ${approval.workflow.name} v${approval.workflow.version}  node ${approval.nodeId}  since ${approval.since}${until}${who ? `  by ${who}` : ''}`,
    );
    if (approval.message) lines.push(`  ${approval.message}`);
    const fields = Object.entries(approval.fields);
    if (fields.length > 0) {
      lines.push(
        `  fields: ${fields.map(([name, field]) => `${name} (${field.type}${field.required ? ', required' : ''})`).join(', ')}`,
      );
    }
  }
  return lines.join('\n');
}
