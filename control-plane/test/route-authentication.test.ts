import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestControlPlane, type TestControlPlane } from './test-control-plane.ts';

/**
 * Every route the control plane serves has an authentication rule here, and behaves by it without
 * credentials: API-key routes answer 401, token routes refuse a forged token, public routes are the
 * health checks and webhooks (public by design: each checks its own `auth`). A new route without a
 * rule fails the first test.
 */
type Rule = 'api-key' | 'worker-token' | 'signed-token' | 'public';
const RULES: Record<string, Rule> = {
  'GET /graphql': 'api-key',
  'POST /graphql': 'api-key',
  // An API key or a UI session: GraphQL, the run archive, who-am-I.
  'GET /runs/*': 'api-key',
  'GET /auth/session': 'api-key',
  'POST /internal/credentials/resolve': 'worker-token',
  'POST /internal/run-events': 'worker-token',
  'GET /approvals/*': 'signed-token',
  'POST /approvals/*': 'signed-token',
  'POST /webhook/resume/*': 'signed-token',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  // Open by default like the health checks; FLOWFORGE_METRICS_TOKEN closes it (scripts/e2e/observability.test.ts).
  'GET /metrics': 'public',
  // Sign-in takes the password in its body (with its own backoff); signing out only clears the caller's cookie.
  'POST /auth/login': 'public',
  'POST /auth/logout': 'public',
};
const isWebhook = (route: string) => / \/webhook\/\*$/.test(route);

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane();
}, 60_000);
afterAll(() => cp?.close());

describe('authentication of every route', () => {
  it('has a rule for every route', () => {
    const unruled = cp.app.flowforge.routes.filter((route) => !(route in RULES) && !isWebhook(route));
    expect(unruled).toEqual([]);
    expect(cp.app.flowforge.routes).toEqual(expect.arrayContaining(Object.keys(RULES)));
  });

  it('answers 401 without credentials on API-key and worker-token routes', async () => {
    for (const [route, rule] of Object.entries(RULES)) {
      if (rule !== 'api-key' && rule !== 'worker-token') continue;
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      const response = await cp.app.inject({
        method,
        url: method === 'GET' ? `${url}?query=${encodeURIComponent('{ workflows { name } }')}` : url,
        ...(method === 'POST' ? { payload: { query: '{ workflows { name } }' } } : {}),
      });
      expect(response.statusCode, route).toBe(401);
      expect(JSON.stringify(response.json()), route).toContain('FF_UNAUTHENTICATED');
    }
  });

  it('refuses a forged token on signed-token routes', async () => {
    for (const [route, rule] of Object.entries(RULES)) {
      if (rule !== 'signed-token') continue;
      const [method, url] = route.split(' ') as ['GET' | 'POST', string];
      const response = await cp.app.inject({
        method,
        url: url.replace('*', 'eyJmb3JnZWQiOnRydWV9.AAAA'),
        payload: method === 'POST' ? {} : undefined,
      });
      expect(response.statusCode, route).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, route).toBeLessThan(500);
      expect(response.json().error.code, route).toMatch(/^FF_/);
    }
  });
});
