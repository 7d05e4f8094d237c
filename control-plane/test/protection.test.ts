import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

/** The control plane's own protection, through app.inject (the network is not the point here). */
let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane({
    protection: {
      mode: 'production',
      corsOrigins: ['https://ui.example.com'],
      rateLimit: { perKey: 5, perIp: 1000, webhookPerIp: 1000, windowMs: 60_000 },
      graphql: { maxDepth: 4, maxCost: 200 },
    },
  });
}, 60_000);
afterAll(() => cp?.close());

describe('GraphQL limits', () => {
  it('refuses a query deeper than the depth limit with FF_QUERY_TOO_COMPLEX', async () => {
    const deep = await cp.graphql('{ workflows { versions { definition } } runs { workflow { name } } }');
    expect(deep.body.errors).toBeUndefined();
    const tooDeep = await cp.graphql('{ __schema { types { fields { type { ofType { name } } } } } }');
    expect(tooDeep.body.errors?.[0]?.extensions.code).toBe('FF_QUERY_TOO_COMPLEX');
    expect(tooDeep.body.errors?.[0]?.message).toMatch(/depth/);
  });

  it('counts page sizes into the cost: a big page of a wide selection is refused, a small one runs', async () => {
    const fields = 'runId status startedAt finishedAt workflow { name version }';
    expect((await cp.graphql(`{ runs(limit: 5) { ${fields} } }`)).body.errors).toBeUndefined();
    const big = await cp.graphql('query ($n: Int) { runs(limit: $n) { runId status startedAt finishedAt } }', {
      n: 100,
    });
    expect(big.body.errors?.[0]?.extensions.code).toBe('FF_QUERY_TOO_COMPLEX');
    expect(big.body.errors?.[0]?.message).toMatch(/costs \d+, more than the limit of 200/);
  });
});

describe('HTTP protection', () => {
  it('answers 401 to GraphQL without a key, also for introspection in production mode', async () => {
    const none = await cp.graphql('{ __schema { queryType { name } } }', {}, null);
    expect(none.status).toBe(401);
    expect(none.body.errors?.[0]?.extensions.code).toBe('FF_UNAUTHENTICATED');
    const bad = await cp.graphql('{ workflows { name } }', {}, 'Bearer ffk_not-a-key');
    expect(bad.status).toBe(401);
  });

  it('answers 413 with an FF_* body over the request size limit', async () => {
    const response = await cp.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${cp.apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ query: '{ workflows { name } }', variables: { pad: 'x'.repeat(1024 * 1024) } }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().errors[0].extensions.code).toBe('FF_BAD_INPUT');
  });

  it('sends security headers, and CORS headers only to an allowed origin', async () => {
    const allowed = await cp.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'https://ui.example.com' },
    });
    expect(allowed.headers['x-content-type-options']).toBe('nosniff');
    expect(allowed.headers['content-security-policy']).toContain("default-src 'self'");
    expect(allowed.headers['strict-transport-security']).toBeDefined();
    expect(allowed.headers['access-control-allow-origin']).toBe('https://ui.example.com');
    const other = await cp.app.inject({ method: 'GET', url: '/healthz', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers /healthz (liveness) and /readyz (PostgreSQL and Temporal), both public', async () => {
    expect((await cp.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ ok: true });
    expect((await cp.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  });

  it('limits one API key to its rate: 429 with Retry-After and FF_RATE_LIMITED, health never', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof cp.app.inject>> | undefined;
    for (let i = 0; i < 8; i++) {
      last = await cp.app.inject({
        method: 'POST',
        url: '/graphql',
        headers: { authorization: `Bearer ${cp.apiKey}` },
        payload: { query: '{ workflows { name } }' },
      });
      statuses.push(last.statusCode);
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect(last?.json().errors[0].extensions.code).toBe('FF_RATE_LIMITED');
    for (let i = 0; i < 10; i++) expect((await cp.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('per-IP limits', () => {
  it('limits requests from one address, keyed or not (429, Retry-After)', async () => {
    const small = await startTestControlPlane({
      databaseUrl: cp.databaseUrl,
      protection: { rateLimit: { perKey: 1000, perIp: 3, webhookPerIp: 1000, windowMs: 60_000 } },
    });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await small.graphql('{ workflows { name } }', {}, null)).status);
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      const other = await small.app.inject({
        method: 'POST',
        url: '/graphql',
        remoteAddress: '10.0.0.9',
        payload: { query: '{ workflows { name } }' },
      });
      expect(other.statusCode).toBe(401);
    } finally {
      await small.close();
    }
  });

  it('can be turned off', async () => {
    const off = await startTestControlPlane({ databaseUrl: cp.databaseUrl, protection: { rateLimit: false } });
    try {
      for (let i = 0; i < 30; i++) expect((await off.graphql('{ workflows { name } }')).status).toBe(200);
    } finally {
      await off.close();
    }
  });
});
