import { MAX_JSON_DEPTH } from '@flowforge/connectors-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueName } from '../../scripts/test-env/index.ts';
import { MAX_BODY_BYTES } from '../src/boundary/json-arguments.ts';
import { MAX_QUERY_NESTING } from '../src/boundary/query-text.ts';
import {
  type GraphQLBody,
  helloDefinition,
  startTestControlPlane,
  type TestControlPlane,
} from './test-control-plane.ts';

/**
 * The probe cases of issue 12 (items 5 and 6), kept as a suite: hostile or careless requests get
 * FF_BAD_INPUT with what was wrong and what to do, in the GraphQL error shape the CLI reads, never
 * FF_INTERNAL; nothing deeper than MAX_JSON_DEPTH gets past the boundary, and no run is started
 * for what it refuses. A control plane on its own database, no worker.
 */

let cp: TestControlPlane;
beforeAll(async () => {
  cp = await startTestControlPlane();
});
afterAll(async () => {
  await cp?.close();
});

/** POST /graphql with this exact body text (the tests write what a client could send, not what it would). */
async function postRaw(body: string, contentType = 'application/json'): Promise<{ status: number; body: GraphQLBody }> {
  const response = await cp.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { authorization: `Bearer ${cp.apiKey}`, 'content-type': contentType },
    payload: body,
  });
  return { status: response.statusCode, body: response.json() as GraphQLBody };
}

/** `{"a":{"a":…1}}`, `depth` objects deep, as text: JSON.stringify itself overflows at a few thousand. */
const nestedText = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const aPath = (length: number) => Array.from({ length }, () => 'a');

/** The one error of an answer, checked to be a user error with a hint in the shape the CLI reads. */
function userError(answer: { body: GraphQLBody }) {
  expect(answer.body.data).toBeNull();
  expect(answer.body.errors).toHaveLength(1);
  const [error] = answer.body.errors ?? [];
  expect(error?.extensions).toMatchObject({ code: 'FF_BAD_INPUT', hint: expect.any(String) });
  return error as NonNullable<typeof error>;
}

const START = 'mutation ($w: String!, $i: JSON) { startRun(workflow: $w, input: $i) { runId } }';
const PUSH = 'mutation ($d: JSON!) { pushWorkflow(definition: $d) { version } }';

describe('hostile GraphQL bodies answer FF_BAD_INPUT, never FF_INTERNAL', () => {
  const QUERY = '{ workflows { name } }';
  const cases: Array<{ what: string; body: string; contentType?: string; status: number; message: RegExp }> = [
    { what: 'malformed JSON', body: '{bad', status: 400, message: /^the request body is not valid JSON: / },
    { what: 'an empty body', body: '', status: 400, message: /^the request body is empty/ },
    { what: 'a body of spaces', body: '   ', status: 400, message: /^the request body is empty/ },
    { what: 'a null query', body: '{"query": null}', status: 400, message: /^the request has no "query"/ },
    { what: 'no query', body: '{"variables": {}}', status: 400, message: /^the request has no "query"/ },
    { what: 'a JSON array', body: '[]', status: 400, message: /^the request is not a GraphQL request: / },
    { what: 'JSON null', body: 'null', status: 400, message: /^the request is not a GraphQL request: / },
    {
      what: 'text/plain',
      body: JSON.stringify({ query: QUERY }),
      contentType: 'text/plain',
      status: 400,
      message: /^the request is not a GraphQL request: /,
    },
    {
      what: 'a content-type nothing reads',
      body: '<query/>',
      contentType: 'application/xml',
      status: 415,
      message: /content-type/,
    },
    // Mercurius took a text that does not parse for a JSON-encoded document AST and ran it.
    { what: 'a number for a query', body: '{"query": 5}', status: 200, message: /^Syntax Error: / },
    { what: 'JSON as the query text', body: '{"query": "{}"}', status: 200, message: /^Syntax Error: / },
    {
      what: 'a top-level __proto__ key',
      body: `{"query": "${QUERY}", "__proto__": {"polluted": true}}`,
      status: 400,
      message: /^the request body has a key "__proto__" \(at __proto__\)/,
    },
    {
      what: 'constructor.prototype in variables',
      body: `{"query": "${QUERY}", "variables": {"d": {"constructor": {"prototype": {"polluted": true}}}}}`,
      status: 400,
      message: /^the request body has a key "prototype" \(at variables\.d\.constructor\.prototype\)/,
    },
  ];
  for (const { what, body, contentType, status, message } of cases) {
    it(`${what}: ${status}`, async () => {
      const answer = await postRaw(body, contentType);
      expect(answer.status).toBe(status);
      expect(userError(answer).message).toMatch(message);
    });
  }

  it(`a body over ${MAX_BODY_BYTES} bytes: 413 with the limit`, async () => {
    const answer = await postRaw(JSON.stringify({ query: QUERY, variables: { x: 'a'.repeat(2 * MAX_BODY_BYTES) } }));
    expect(answer.status).toBe(413);
    expect(userError(answer).message).toContain(`larger than ${MAX_BODY_BYTES} bytes`);
  });

  it('a __proto__ key deep in a variable is refused with its path, and no prototype changed', async () => {
    const answer = await postRaw(
      `{"query": "query ($d: JSON!) { validateWorkflow(definition: $d) { valid } }", "variables": {"d": {"nodes": [{"params": {"__proto__": {"polluted": true}}}]}}}`,
    );
    expect(answer.status).toBe(400);
    expect(userError(answer).extensions.path).toEqual(['variables', 'd', 'nodes', 0, 'params', '__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a __proto__ key in a JSON literal of the query text is refused, naming the argument', async () => {
    const answer = await cp.graphql('{ validateWorkflow(definition: { nodes: { __proto__: { x: 1 } } }) { valid } }');
    const error = userError(answer);
    expect(error.message).toMatch(/^validateWorkflow\(definition\) has a key "__proto__"/);
    expect(error.extensions.path).toEqual(['definition', 'nodes', '__proto__']);
  });

  it('a GET whose variables are not JSON: 400', async () => {
    const response = await cp.app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent('query ($n: String!) { workflow(name: $n) { name } }')}&variables={bad`,
      headers: { authorization: `Bearer ${cp.apiKey}` },
    });
    expect(response.statusCode).toBe(400);
    expect(userError({ body: response.json() }).message).toMatch(/^the variables in the URL are not valid JSON/);
  });

  it('a mutation sent with GET: 405', async () => {
    const response = await cp.app.inject({
      method: 'GET',
      url: `/graphql?query=${encodeURIComponent('mutation { cancelRun(id: "run-x") { runId } }')}`,
      headers: { authorization: `Bearer ${cp.apiKey}` },
    });
    expect(response.statusCode).toBe(405);
    expect(userError({ body: response.json() }).message).toBe('a mutation cannot be sent with GET');
  });

  it('a query text that does not parse names where, and one that is not GraphQL at all', async () => {
    const answer = await cp.graphql('{ workflows { name ');
    const error = userError(answer);
    expect(error.message).toMatch(/^Syntax Error: /);
    expect(error).toMatchObject({ locations: [{ line: 1, column: expect.any(Number) }] });
    expect(userError(await cp.graphql('{ nope }')).message).toBe('Cannot query field "nope" on type "Query".');
  });
});

describe(`JSON arguments nest at most ${MAX_JSON_DEPTH} levels, refused at the boundary with the path`, () => {
  it('refuses a startRun input nested 5,000 deep as FF_BAD_INPUT naming the argument, and starts nothing', async () => {
    const definition = helloDefinition();
    await cp.graphql(PUSH, { d: definition });
    const variables = `{"w": "${definition.name}", "i": ${nestedText(5_000)}}`;
    const answer = await postRaw(`{"query": "${START}", "variables": ${variables}}`);
    const error = userError(answer);
    expect(error.message).toMatch(
      new RegExp(`^startRun\\(input\\) nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels \\(at input\\.a`),
    );
    expect(error.extensions).toMatchObject({ retryable: false, path: ['input', ...aPath(MAX_JSON_DEPTH)] });
    // No ghost: neither a Run row nor a Temporal workflow.
    const runs = await cp.graphql('query ($w: String) { runs(workflow: $w) { runId } }', { w: definition.name });
    expect(runs.body.data.runs).toEqual([]);
    const inTemporal = await cp.app.flowforge.services.temporal.workflow.count(
      `FlowForgeWorkflow = '${definition.name}'`,
    );
    expect(inTemporal.count).toBe(0);
  });

  it('starts a run whose input is exactly at the limit', async () => {
    const definition = helloDefinition();
    await cp.graphql(PUSH, { d: definition });
    const answer = await postRaw(
      `{"query": "${START}", "variables": {"w": "${definition.name}", "i": ${nestedText(MAX_JSON_DEPTH)}}}`,
    );
    expect(answer.body.errors).toBeUndefined();
    await cp.app.flowforge.services.temporal.workflow.getHandle(answer.body.data.startRun.runId).terminate('test over');
  });

  it('refuses a definition whose parameter nests 200 deep before Prisma sees it, and stores one well inside', async () => {
    const deep = helloDefinition(undefined, uniqueName('deep-param'));
    const text = JSON.stringify({ query: PUSH, variables: { d: deep } }).replace(
      '"greeting":',
      `"deep":${nestedText(200)},"greeting":`,
    );
    const error = userError(await postRaw(text));
    expect(error.message).toMatch(/^pushWorkflow\(definition\) nests objects and arrays deeper than/);
    expect(error.extensions.path).toEqual([
      'definition',
      'nodes',
      1,
      'params',
      'values',
      'deep',
      ...aPath(MAX_JSON_DEPTH - 5),
    ]);
    const stored = await cp.graphql('query ($n: String!) { workflow(name: $n) { name } }', { n: deep.name });
    expect(stored.body.data.workflow).toBeNull();

    // definition, nodes, nodes[1], params, values: 5 levels, then 59 of data: exactly at the limit.
    const inside = helloDefinition();
    const pushed = await postRaw(
      JSON.stringify({ query: PUSH, variables: { d: inside } }).replace(
        '"greeting":',
        `"deep":${nestedText(MAX_JSON_DEPTH - 5)},"greeting":`,
      ),
    );
    expect(pushed.body).toEqual({ data: { pushWorkflow: { version: 1 } } });
  });

  it('refuses a JSON literal nested past the limit in the query text, and a query text nested past its own', async () => {
    const literal = (depth: number) => `${'{a:'.repeat(depth)}1${'}'.repeat(depth)}`;
    const past = userError(
      await cp.graphql(`{ validateWorkflow(definition: ${literal(MAX_JSON_DEPTH + 1)}) { valid } }`),
    );
    expect(past.message).toMatch(/^validateWorkflow\(definition\) nests objects and arrays deeper than 64 levels/);
    expect(past.extensions.path).toEqual(['definition', ...aPath(MAX_JSON_DEPTH)]);
    // graphql-js parses recursively: 5,000 levels overflowed its stack (a RangeError) before this check.
    const text = userError(await cp.graphql(`{ validateWorkflow(definition: ${literal(5_000)}) { valid } }`));
    expect(text.message).toMatch(new RegExp(`^the GraphQL query nests brackets deeper than ${MAX_QUERY_NESTING}`));
  });

  it('refuses approval fields nested past the limit before any run is looked up', async () => {
    const answer = await postRaw(
      `{"query": "mutation ($f: JSON) { approve(runId: \\"run-x\\", fields: $f) { runId } }", "variables": {"f": {"note": ${nestedText(100)}}}}`,
    );
    const error = userError(answer);
    expect(error.message).toMatch(/^approve\(fields\) nests/);
    expect(error.extensions.path).toEqual(['fields', 'note', ...aPath(MAX_JSON_DEPTH - 1)]);
  });

  it('refuses a resume body nested past the limit with 400, in the REST error shape', async () => {
    const response = await cp.app.inject({
      method: 'POST',
      url: '/webhook/resume/not.signed',
      headers: { 'content-type': 'application/json' },
      payload: nestedText(5_000),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: {
        code: 'FF_BAD_INPUT',
        message: expect.stringMatching(/^the resume body nests objects and arrays deeper than 64 levels/),
        path: ['body', ...aPath(MAX_JSON_DEPTH)],
      },
    });
  });
});

describe('resolver arguments are checked with zod, FF_BAD_INPUT with the argument path', () => {
  const cases: Array<{ what: string; query: string; path: string[]; message: RegExp }> = [
    {
      what: 'runs limit 0',
      query: '{ runs(limit: 0) { runId } }',
      path: ['limit'],
      message: /^limit: must be 1 to 100$/,
    },
    {
      what: 'runs limit 1000',
      query: '{ runs(limit: 1000) { runId } }',
      path: ['limit'],
      message: /^limit: must be 1 to 100$/,
    },
    {
      what: 'a workflow name no workflow can have',
      query: '{ runs(workflow: "Not A Name") { runId } }',
      path: ['workflow'],
      message: /^workflow: a workflow name is/,
    },
    {
      what: 'a negative waitSeconds',
      query: '{ run(id: "run-x", waitSeconds: -1) { runId } }',
      path: ['waitSeconds'],
      message: /^waitSeconds: cannot be negative/,
    },
    {
      what: 'version 0',
      query: 'mutation { startRun(workflow: "hello", version: 0) { runId } }',
      path: ['version'],
      message: /^version: versions start at 1/,
    },
    {
      what: 'fields that are a list',
      query: 'mutation { approve(runId: "run-x", fields: [1]) { runId } }',
      path: ['fields'],
      message: /^fields: must be an object/,
    },
    {
      what: 'a reserved node id',
      query: 'mutation { reject(runId: "run-x", nodeId: "__proto__") { runId } }',
      path: ['nodeId'],
      message: /^nodeId: "__proto__" is reserved/,
    },
    {
      what: 'a decision that is neither',
      query: 'mutation { approvalLink(runId: "run-x", decision: "maybe") }',
      path: ['decision'],
      message: /^decision: must be "approve" or "reject"$/,
    },
    {
      what: 'a link that would live 68 years',
      query: 'mutation { approvalLink(runId: "run-x", decision: "approve", ttlSeconds: 2147483647) }',
      path: ['ttlSeconds'],
      message: /^ttlSeconds: must be 1 to 2592000 \(30 days/,
    },
    {
      what: 'a link that expired before it was made',
      query: 'mutation { approvalLink(runId: "run-x", decision: "approve", ttlSeconds: 0) }',
      path: ['ttlSeconds'],
      message: /^ttlSeconds: must be 1 to 2592000/,
    },
    {
      what: 'an empty run id',
      query: 'mutation { cancelRun(id: "") { runId } }',
      path: ['id'],
      message: /^id: must not be empty/,
    },
  ];
  for (const { what, query, path, message } of cases) {
    it(what, async () => {
      const error = userError(await cp.graphql(query));
      expect(error.message).toMatch(message);
      expect(error.extensions).toMatchObject({ path, retryable: false });
    });
  }
});
