import { Args, Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson, progress } from '../output.ts';
import { exportRun } from '../run-export.ts';

export default class RunsExport extends FlowForgeCommand {
  static override summary =
    "Download a run's node inputs and outputs as one archive (.tar.gz), stored payloads included.";
  static override description =
    `Writes <runId>.tar.gz in the current directory (or --output): manifest.json (run, workflow,
version, status; per node its type, status, attempts, input and output files with their sha256), workflow.json,
run-input.json and nodes/<nodeId>/input.json|output.json. The archive is checked against its manifest before it is
put in place. Credential values are never in it (they are never in outputs). With --json prints
{ "file", "bytes", "nodes" }. An unknown run: FF_NOT_FOUND, exit 2; the file exists: FF_CONFLICT, exit 1 (--force).`;
  static override args = { runId: Args.string({ description: 'the run id', required: true }) };
  static override flags = {
    output: Flags.string({ char: 'o', description: 'the file to write (default: <runId>.tar.gz here)' }),
    force: Flags.boolean({ description: 'overwrite the file when it exists' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunsExport);
    progress(`exporting run ${args.runId} from ${this.client.url}…`);
    const result = await exportRun(this.client, { runId: args.runId, output: flags.output, force: flags.force });
    progress(
      `wrote ${result.file}: ${result.nodes} node${result.nodes === 1 ? '' : 's'}, ${formatBytes(result.bytes)}`,
    );
    if (flags.json) printJson(result);
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
