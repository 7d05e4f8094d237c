/// <reference path="../../scripts/test-env/global-setup.ts" />
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { type LocalStack, startTestStack } from '../../scripts/test-env/local-stack.ts';
import { type CliResult, runShim } from './support/cli-shim.ts';

/** `flowforge users create|list` through the ./flowforge shim against a control plane (no worker needed). */

let stack: LocalStack;
let scratch: string;
const PASSWORD = 'a long enough passphrase for the test';

function cli(args: string[], options: { stdin?: string; apiKey?: string } = {}): Promise<CliResult> {
  return runShim({ url: stack.url, apiKey: options.apiKey ?? stack.apiKey, home: scratch }, args, {
    stdin: options.stdin ?? '',
  });
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'flowforge-cli-users-'));
  stack = await startTestStack({ worker: false });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('users create / list', () => {
  it('creates a user with the password from standard input, who can then sign in', async () => {
    const email = `${uniqueName('ada')}@example.org`;
    const created = await cli(['users', 'create', email, '--name', 'Ada', '--password-stdin', '--json'], {
      stdin: `${PASSWORD}\n`,
    });
    expect(created).toMatchObject({ code: 0 });
    expect(JSON.parse(created.stdout)).toMatchObject({ email, name: 'Ada', signIn: ['password'], roles: [] });
    expect(created.stdout + created.stderr).not.toContain(PASSWORD);

    const list = await cli(['users', 'list', '--json']);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toContainEqual(expect.objectContaining({ email, signIn: ['password'] }));
    const text = await cli(['users', 'list']);
    expect(text.stdout).toContain(email);

    // The trailing newline of `echo` is not part of the password.
    const login = await fetch(`${stack.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.getSetCookie().join()).toMatch(/ff_session=.*HttpOnly/i);
  });

  it('without --password-stdin the user signs in through OIDC only; a duplicate or a bad email is refused', async () => {
    const email = `${uniqueName('grace')}@example.org`;
    const created = await cli(['users', 'create', email]);
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout.trim()).toBe(`user ${email} created (OIDC sign-in only)`);
    const duplicate = await cli(['users', 'create', email, '--json']);
    expect(duplicate.code).toBe(1);
    expect(JSON.parse(duplicate.stdout).error.code).toBe('FF_CONFLICT');
    const bad = await cli(['users', 'create', 'not-an-email']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('FF_BAD_INPUT');
  });
  // The admin role it needs is checked in control-plane/test/users-sessions.test.ts.
});
