import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { FlowForgeError, WorkflowDefinitionSchema, z } from '@flowforge/connectors-sdk';
import { Args, Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson, progress } from '../output.ts';
import { workflowNotFound } from '../workflow-lookup.ts';

const PulledSchema = z.object({
  versions: z.array(z.object({ version: z.int(), hash: z.string(), definition: z.unknown() })),
});

export default class WorkflowPull extends FlowForgeCommand {
  static override summary = 'Write a stored version as a workflow file that pushes back to the same version.';
  static override description =
    `The latest version unless --version says which. The file is the stored definition (defaults
spelled out, keys in the workflow file's order, two-space JSON), so pushing it again reports the same
version and hash ("unchanged"). Without --output it goes to stdout; with --output and --json stdout
gets { "workflow", "version", "hash", "file" }. An unknown workflow or version is FF_NOT_FOUND (exit 2).`;
  static override examples = [
    '<%= config.bin %> workflow pull orders --output workflows/orders.json',
    '<%= config.bin %> workflow pull orders --version 2 > orders-v2.json',
  ];
  static override args = { name: Args.string({ description: 'the workflow name', required: true }) };
  static override flags = {
    version: Flags.integer({ description: 'the version to pull (default: the latest)', min: 1 }),
    output: Flags.string({ char: 'o', description: 'the file to write (default: stdout)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(WorkflowPull);
    const { workflow } = await this.client.request(
      'query ($n: String!) { workflow(name: $n) { versions { version hash definition } } }',
      { n: args.name },
      z.object({ workflow: PulledSchema.nullable() }),
    );
    if (!workflow) throw workflowNotFound(args.name);
    const wanted = flags.version ?? workflow.versions[0]?.version;
    const found = workflow.versions.find((v) => v.version === wanted);
    if (!found) {
      throw new FlowForgeError('FF_NOT_FOUND', `workflow "${args.name}" has no version ${wanted}`, {
        path: ['version'],
        hint: `its versions are ${workflow.versions.map((v) => v.version).join(', ')} (flowforge workflow versions ${args.name})`,
      });
    }
    // Parsing again puts the keys in the schema's order (the database keeps its own): a stable file for git.
    const text = `${JSON.stringify(WorkflowDefinitionSchema.parse(found.definition), null, 2)}\n`;
    if (!flags.output) {
      process.stdout.write(text);
      return;
    }
    const file = resolve(flags.output);
    writeFileSync(file, text);
    if (flags.json) printJson({ workflow: args.name, version: found.version, hash: found.hash, file });
    else progress(`${args.name}: wrote version ${found.version} (${found.hash}) to ${flags.output}`);
  }
}
