import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { httpBasicAuth, httpHeaderAuth, oauth2ClientCredentials } from './builtin/http-credentials.ts';
import { credentialValueIssues, defineCredential, secretStringsOf } from './define-credential.ts';
import { REDACTED, SecretScrubber } from './secret-scrubber.ts';

describe('credential types', () => {
  it('an invalid value gets issues that name the field and never quote the value', () => {
    const secret = 'sk-live-5f0c8a1b2d3e';
    const issues = credentialValueIssues(httpBasicAuth, { user: `a:${secret}`, password: 42, extra: secret });
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining([
        ['value', 'user'],
        ['value', 'password'],
      ]),
    );
    expect(issues.some((issue) => issue.message.includes('unknown field(s) "extra"'))).toBe(true);
    expect(JSON.stringify(issues)).not.toContain(secret);
  });

  it('a missing field says it is missing; an invalid URL says so without the URL', () => {
    const issues = credentialValueIssues(oauth2ClientCredentials, { tokenUrl: 'ftp://secret-host', clientId: 'x' });
    expect(issues.map((issue) => issue.message)).toEqual(
      expect.arrayContaining([
        'field "clientSecret" is missing (expected string)',
        'field "tokenUrl" must be a valid url',
      ]),
    );
    expect(JSON.stringify(issues)).not.toContain('secret-host');
  });

  it('a valid value has no issues; only the secret fields are secret', () => {
    expect(credentialValueIssues(httpHeaderAuth, { name: 'X-API-Key', value: 'abcdef' })).toEqual([]);
    expect(secretStringsOf(httpHeaderAuth, { name: 'X-API-Key', value: 'abcdef' })).toEqual(['abcdef']);
    expect(secretStringsOf(undefined, { a: 'one', b: { c: 'two' }, d: 3 })).toEqual(['one', 'two']);
  });

  it('type ids are camelCase', () => {
    expect(() =>
      defineCredential({ type: 'Bad-Type', displayName: '', description: '', schema: z.object({}) }),
    ).toThrow(/camelCase/);
  });
});

describe('SecretScrubber', () => {
  it('replaces secrets (and their URL-encoded form) in strings and keys, and leaves short ones alone', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('p@ss word!');
    scrubber.add('abc');
    const scrubbed = scrubber.scrub({
      echo: 'Authorization: Basic p@ss word!',
      url: 'https://x/?q=p%40ss%20word!',
      'key p@ss word!': ['abc', 1, null],
    });
    expect(scrubbed).toEqual({
      echo: `Authorization: Basic ${REDACTED}`,
      url: `https://x/?q=${REDACTED}`,
      [`key ${REDACTED}`]: ['abc', 1, null],
    });
  });

  it('scrubs an error and drops its cause', () => {
    const scrubber = new SecretScrubber();
    scrubber.add('tok-123456');
    const error = scrubber.scrubError(new Error('server said tok-123456', { cause: new Error('tok-123456') }));
    expect((error as Error).message).toBe(`server said ${REDACTED}`);
    expect((error as Error).cause).toBeUndefined();
    expect((error as Error).stack).not.toContain('tok-123456');
  });
});
