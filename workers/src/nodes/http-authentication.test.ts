import { REDACTED } from '@flowforge/connectors-sdk';
import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AuthTestServer, startAuthTestServer } from '../../../scripts/test-env/auth-test-server.ts';
import { httpRequest } from './http-request.ts';
import { workerOAuth2Tokens } from './oauth2-tokens.ts';

/** http.request's `authentication` against a real local server: an OAuth2 token endpoint, an API and echo paths. */

let server: AuthTestServer;
beforeAll(async () => {
  server = await startAuthTestServer({ scopes: ['orders:read', 'orders:write'] });
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  workerOAuth2Tokens.clear();
  server.setTokenLifetime(3600);
});

const run = (params: Record<string, unknown>, credentials: Record<string, unknown>, items?: object[]) =>
  runNodeForTest(httpRequest, {
    params,
    credentials,
    ...(items ? { items: items as Array<Record<string, unknown>> } : {}),
  });

const oauth = () => ({
  oauth2ClientCredentials: {
    tokenUrl: server.tokenUrl,
    clientId: server.clientId,
    clientSecret: server.clientSecret,
    scope: 'orders:read',
  },
});

describe('http.request authentication', () => {
  it('httpHeaderAuth sends the header, and an API that echoes it gets it back scrubbed', async () => {
    const value = 'key-6c1f0e9a7b3d';
    const result = await run(
      { url: `${server.url}/echo`, authentication: 'httpHeaderAuth' },
      { httpHeaderAuth: { name: 'X-API-Key', value } },
    );
    const [echo] = jsonOf(result) as [{ headers: Record<string, string> }];
    // The server saw the key (it arrived: the REDACTED is ours, not a missing header).
    expect(echo.headers['x-api-key']).toBe(REDACTED);
    expect(JSON.stringify(result)).not.toContain(value);
  });

  it('httpBasicAuth sends user:password in Basic; neither the password nor the encoded header comes back', async () => {
    const password = 'pw-92e4a1c07f';
    const result = await run(
      { url: `${server.url}/echo`, authentication: 'httpBasicAuth' },
      { httpBasicAuth: { user: 'ada', password } },
    );
    const [echo] = jsonOf(result) as [{ headers: Record<string, string> }];
    expect(echo.headers.authorization).toBe(`Basic ${REDACTED}`);
    const text = JSON.stringify(result);
    expect(text).not.toContain(password);
    expect(text).not.toContain(Buffer.from(`ada:${password}`).toString('base64'));
  });

  it('httpBearerAuth: an error answer that quotes the token is scrubbed in the node error', async () => {
    const token = 'bearer-1d5c9e3f7a';
    const failure = await run(
      { url: `${server.url}/echo-fail`, authentication: 'httpBearerAuth' },
      { httpBearerAuth: { token } },
    ).then(
      () => expect.unreachable('the node should fail'),
      (error: unknown) => error as Error & { code: string },
    );
    expect(failure).toMatchObject({ code: 'FF_HTTP_STATUS' });
    expect(failure.message).toContain(REDACTED);
    expect(`${failure.message}${failure.stack}`).not.toContain(token);
  });

  it('a credential header is never sent to another origin: a redirect there fails the node', async () => {
    const before = server.otherOriginRequests().length;
    const failure = run(
      { url: `${server.url}/redirect-away`, authentication: 'httpHeaderAuth' },
      { httpHeaderAuth: { name: 'X-API-Key', value: 'key-redirected-away' } },
    );
    await expect(failure).rejects.toMatchObject({
      code: 'FF_HTTP_STATUS',
      message: expect.stringMatching(/another origin/),
    });
    expect(server.otherOriginRequests().length).toBe(before);
    const same = await run(
      { url: `${server.url}/redirect-same`, authentication: 'httpHeaderAuth' },
      { httpHeaderAuth: { name: 'X-API-Key', value: 'key-same-origin' } },
    );
    expect((jsonOf(same)[0] as { headers: Record<string, string> }).headers['x-api-key']).toBe(REDACTED);
  });

  it('oauth2ClientCredentials fetches a token once and reuses it across items and node runs', async () => {
    const issued = server.tokensIssued();
    const items = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const first = await run(
      { url: `={{ "${server.url}/api/orders/" + $json.id }}`, authentication: 'oauth2ClientCredentials' },
      oauth(),
      items,
    );
    expect(jsonOf(first)).toEqual(items.map(({ id }) => ({ path: `/api/orders/${id}`, scope: 'orders:read' })));
    await run({ url: `${server.url}/api/again`, authentication: 'oauth2ClientCredentials' }, oauth());
    expect(server.tokensIssued() - issued).toBe(1);
  });

  it('an expired token is replaced before it is used, and a refused one is fetched again once', async () => {
    server.setTokenLifetime(1);
    const issued = server.tokensIssued();
    await run({ url: `${server.url}/api/a`, authentication: 'oauth2ClientCredentials' }, oauth());
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await run({ url: `${server.url}/api/b`, authentication: 'oauth2ClientCredentials' }, oauth());
    expect(server.tokensIssued() - issued).toBe(2);
    // The cached token is still good for the cache, but the server no longer takes it: 401, one new token, success.
    server.setTokenLifetime(3600);
    server.revokeAll();
    const renewed = await run({ url: `${server.url}/api/d`, authentication: 'oauth2ClientCredentials' }, oauth());
    expect(jsonOf(renewed)).toEqual([{ path: '/api/d', scope: 'orders:read' }]);
    expect(server.tokensIssued() - issued).toBe(3);
  });

  it('a wrong client secret fails with the token endpoint status and no secret in the message', async () => {
    const wrong = { ...oauth().oauth2ClientCredentials, clientSecret: 'not-the-secret-0042' };
    const failure = await run(
      { url: `${server.url}/api/x`, authentication: 'oauth2ClientCredentials' },
      { oauth2ClientCredentials: wrong },
    ).then(
      () => expect.unreachable('the node should fail'),
      (error: unknown) => error as Error & { code: string; retryable: boolean },
    );
    expect(failure).toMatchObject({ code: 'FF_HTTP_STATUS', retryable: false });
    expect(failure.message).toMatch(/token endpoint .* answered 401: invalid_client/);
    expect(failure.message).not.toContain('not-the-secret-0042');
  });
});
