import type { ConnectorNames } from './connector-names.ts';

/**
 * The files of a new connector package, by path: what `flowforge nodes new` writes and what
 * examples/connectors/acme-greet was made from (connector-files.test.ts keeps them equal).
 */
export function connectorFiles(names: ConnectorNames): Record<string, string> {
  return {
    'package.json': `${JSON.stringify(packageJson(names), null, 2)}\n`,
    'README.md': readme(names),
    'workflow.json': `${JSON.stringify(demoWorkflow(names), null, 2)}\n`,
    '.gitignore': 'node_modules\n',
    'src/index.ts': indexSource(names),
    [`src/${names.packageName}.ts`]: nodeSource(names),
    [`src/${names.packageName}.test.ts`]: testSource(names),
  };
}

function packageJson({ packageName, type }: ConnectorNames) {
  return {
    name: packageName,
    version: '0.1.0',
    private: true,
    description: `FlowForge connector: the ${type} node type`,
    type: 'module',
    exports: { '.': './src/index.ts' },
    scripts: { test: 'vitest run' },
    // A peer, never a dependency: the worker's own copy must be the one the package uses.
    peerDependencies: { '@flowforge/connectors-sdk': '*' },
    devDependencies: { vitest: '5.1.1' },
  };
}

/** The workflow the README pushes and runs. */
export function demoWorkflow({ packageName, type, exportName }: ConnectorNames) {
  return {
    schemaVersion: 1,
    name: `${packageName}-demo`,
    description: `Runs ${type} once on the run input.`,
    nodes: [
      { id: 'start', type: 'trigger.manual' },
      { id: exportName.replace(/Node$/, ''), type, params: { name: '={{ $json.name }}' } },
    ],
    edges: [{ from: 'start', to: exportName.replace(/Node$/, '') }],
  };
}

function indexSource({ packageName, exportName }: ConnectorNames): string {
  return `// What a FlowForge worker loads from this package (FLOWFORGE_NODE_PACKAGES): every node definition in \`nodes\`.
import { ${exportName} } from './${packageName}.ts';

export { ${exportName} };
export const nodes = [${exportName}];
`;
}

function nodeSource({ type, exportName, displayName }: ConnectorNames): string {
  return `import { defineNode, z } from '@flowforge/connectors-sdk';

/**
 * ${type}: adds a greeting to every item. A starting point: change the params and \`execute\` into
 * your connector's. The params are zod, from the SDK's own \`z\`: the control plane validates
 * workflow files with them (through their JSON Schema) and the builder renders their form from it.
 */
export const ${exportName} = defineNode({
  type: '${type}',
  version: 1,
  displayName: '${displayName}',
  description: 'Adds a greeting for \`name\` to every item, in the field \`field\` ("greeting" unless set).',
  group: 'integration',
  params: z.object({
    name: z
      .string()
      .min(1, { error: 'say whom to greet, like "Ada" or "={{ $json.name }}"' })
      .describe('Whom to greet; may be an expression ("={{ $json.name }}").'),
    salutation: z.string().default('Hello').describe('The word before the name.'),
    field: z.string().min(1).default('greeting').describe('The field of each item the greeting goes to.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  // No side effect outside the run: running it again changes nothing.
  capabilities: { pure: true },
  execute(ctx) {
    return {
      main: ctx.items.map((item, index) => {
        // Expressions are evaluated per item: paramsAt(i) are item i's params.
        const { name, salutation, field } = ctx.paramsAt(index);
        return { ...item, json: { ...item.json, [field]: \`\${salutation}, \${name}!\` } };
      }),
    };
  },
});
`;
}

function testSource({ packageName, type, exportName }: ConnectorNames): string {
  return `import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { ${exportName} } from './${packageName}.ts';

// runNodeForTest runs the node as a worker does: the real expression sandbox, the real params checks.
describe('${type}', () => {
  it('greets the name of every item, evaluated per item', async () => {
    const result = await runNodeForTest(${exportName}, {
      params: { name: '={{ $json.name }}' },
      items: [{ name: 'Ada' }, { name: 'Linus' }],
    });
    expect(jsonOf(result)).toEqual([
      { name: 'Ada', greeting: 'Hello, Ada!' },
      { name: 'Linus', greeting: 'Hello, Linus!' },
    ]);
  });

  it('takes a salutation and a field', async () => {
    const result = await runNodeForTest(${exportName}, {
      params: { name: 'Grace', salutation: 'Welcome', field: 'message' },
      items: [{}],
    });
    expect(jsonOf(result)).toEqual([{ message: 'Welcome, Grace!' }]);
  });

  it('refuses params without a name (FF_INVALID_PARAMS), as the control plane refuses such a workflow', async () => {
    await expect(runNodeForTest(${exportName}, { params: {}, items: [{}] })).rejects.toMatchObject({
      code: 'FF_INVALID_PARAMS',
    });
  });
});
`;
}

function readme({ packageName, type }: ConnectorNames): string {
  return `# ${packageName}

A FlowForge connector package: it defines the node type \`${type}\` (\`src/${packageName}.ts\`), which adds a
greeting to every item. Replace its params and \`execute\` with your own; keep \`src/index.ts\` exporting
every definition in \`nodes\`.

| file | what |
| --- | --- |
| \`src/${packageName}.ts\` | the node: \`defineNode(...)\` with its type, zod params (the SDK's \`z\`), ports and \`execute\` |
| \`src/${packageName}.test.ts\` | a harness test (\`runNodeForTest\`: the real sandbox and params checks) |
| \`src/index.ts\` | \`export const nodes = [...]\`: what a worker loads |
| \`workflow.json\` | a workflow that uses the node |

\`@flowforge/connectors-sdk\` is a peer dependency: the package must use the worker's own copy (a worker
refuses a package that brings another one). \`flowforge nodes new\` linked \`node_modules/@flowforge/connectors-sdk\`
and \`node_modules/vitest\` to the FlowForge checkout that made it, so nothing is installed from the network.

## Test it

    npm test

(\`node_modules/.bin/vitest\` runs the checkout's vitest with the checkout's Node 24.)

## Load it into a worker

A worker loads extra node packages named in \`FLOWFORGE_NODE_PACKAGES\` (comma-separated module names or
paths, resolved from the worker's working directory), next to the built-in ones:

    FLOWFORGE_NODE_PACKAGES=/absolute/path/to/${packageName} npm start     # in the FlowForge checkout

The worker tells the control plane which node types it offers (through Temporal); \`flowforge nodes list\`
then shows \`${type}\`, and \`flowforge nodes show ${type}\` its parameters.

## Push and run a workflow that uses it

    ./flowforge workflow push /absolute/path/to/${packageName}/workflow.json
    ./flowforge run ${packageName}-demo --input '{"name":"Ada"}' --wait

A push of a workflow that uses a type no worker on the control plane's task queue offers is refused
(\`FF_UNKNOWN_NODE_TYPE\`, naming the task queue).
`;
}
