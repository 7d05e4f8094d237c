import { join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson, progress } from '../output.ts';
import { connectorNames } from '../scaffold/connector-names.ts';
import { writeConnector } from '../scaffold/write-connector.ts';

export default class NodesNew extends FlowForgeCommand {
  static override summary = 'Create a connector package: a node type, its harness test and a README.';
  static override description =
    `Writes package.json, src/index.ts (export const nodes), src/<name>.ts (a defineNode with
zod params), src/<name>.test.ts (a runNodeForTest test that passes as written), workflow.json and README.md
into --dir (default ./<name>; it must not exist or be empty), and links node_modules/@flowforge/connectors-sdk
and vitest to this checkout, so it needs no install. acme-greet makes the type acme.greet; a one-word name
gets the namespace "custom" unless --namespace says otherwise.
JSON output: { "package", "dir", "files": [...], "types": [...] }`;
  static override examples = [
    '<%= config.bin %> nodes new acme-greet',
    '<%= config.bin %> nodes new weather --namespace acme --dir ./connectors/weather',
  ];
  static override args = {
    name: Args.string({
      description: 'the package name: lower-case words joined by "-", like acme-greet',
      required: true,
    }),
  };
  static override flags = {
    dir: Flags.string({ description: 'where to write it (default ./<name>)' }),
    namespace: Flags.string({ description: 'the node type namespace (default: the first word of a multi-word name)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(NodesNew);
    const names = connectorNames(args.name, flags.namespace);
    const written = writeConnector(names, flags.dir ?? join(process.cwd(), names.packageName));
    const steps = nextSteps(written.dir, names.packageName);
    if (flags.json) {
      printJson(written);
      progress(steps);
      return;
    }
    this.log(`created connector package ${written.package} in ${written.dir} (node type ${names.type}):`);
    for (const file of written.files) this.log(`  ${file}`);
    this.log('  node_modules/: @flowforge/connectors-sdk and vitest, linked to this checkout');
    this.log('');
    this.log(steps);
  }
}

function nextSteps(dir: string, packageName: string): string {
  return [
    'next steps:',
    `  cd ${dir} && npm test                       # the harness test`,
    `  FLOWFORGE_NODE_PACKAGES=${dir} npm start    # in the FlowForge checkout: its worker loads the package`,
    `  ./flowforge workflow push ${dir}/workflow.json`,
    `  ./flowforge run ${packageName}-demo --input '{"name":"Ada"}' --wait`,
  ].join('\n');
}
