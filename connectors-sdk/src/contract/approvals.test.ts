import { describe, expect, it } from 'vitest';
import type { ApprovalWait, DecisionClaims } from './approvals.ts';
import { checkDecision, mayDecide } from './approvals.ts';

const wait: ApprovalWait = {
  kind: 'approval',
  roles: ['finance'],
  users: ['carol'],
  fields: { amount: { type: 'number', required: true }, note: { type: 'string' } },
  onTimeout: 'reject',
  since: '2030-01-01T00:00:00.000Z',
};
const claims = (over: Partial<DecisionClaims>): DecisionClaims => ({
  runId: 'run-1',
  nodeId: 'gate',
  decision: 'approve',
  by: 'fiona',
  roles: ['finance'],
  fields: { amount: 5 },
  issuedAt: '2030-01-01T00:00:01.000Z',
  ...over,
});

describe('who may decide an approval', () => {
  it('a holder of one of the roles, a listed user, or an admin; nobody else', () => {
    expect(mayDecide(wait, 'fiona', ['finance'])).toBe(true);
    expect(mayDecide(wait, 'carol', [])).toBe(true);
    expect(mayDecide(wait, 'root', ['admin'])).toBe(true);
    expect(mayDecide(wait, 'sam', ['sales'])).toBe(false);
  });

  it('anyone when the approval names no roles and no users', () => {
    expect(mayDecide({ roles: [], users: [] }, 'sam', [])).toBe(true);
  });
});

describe('checkDecision', () => {
  it('accepts an allowed decider with valid fields', () => {
    expect(checkDecision('gate', wait, claims({}))).toBeUndefined();
  });

  it('refuses a decider without role or name as FF_FORBIDDEN, naming who may decide', () => {
    expect(checkDecision('gate', wait, claims({ by: 'sam', roles: ['sales'] }))).toEqual({
      code: 'FF_FORBIDDEN',
      message: 'user "sam" may not decide approval "gate": it needs user "carol" or role "finance" (or the admin role)',
    });
  });

  it('requires required fields only when approving', () => {
    expect(checkDecision('gate', wait, claims({ fields: {} }))?.message).toContain('"amount" is required');
    expect(checkDecision('gate', wait, claims({ decision: 'reject', fields: {} }))).toBeUndefined();
  });

  it('refuses unknown fields and wrong types, listing the fields', () => {
    const problem = checkDecision('gate', wait, claims({ fields: { amount: '5', colour: 'red' } }));
    expect(problem?.code).toBe('FF_APPROVAL_INVALID');
    expect(problem?.message).toContain('"colour" is not a field of this approval');
    expect(problem?.message).toContain('"amount" must be a number, not "5"');
    expect(problem?.message).toContain('its fields are: amount (number, required), note (string)');
  });
});
