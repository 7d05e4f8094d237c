import { Args } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { resolveConnection } from '../cli-config.ts';
import { followRun } from '../run-watch.ts';

export default class RunsWatch extends FlowForgeCommand {
  static override summary = 'Follow a run live until it ends: its current state first, then each event.';
  static override description = `With --json prints one JSON object per line:
{ "event": "node.started" | "node.succeeded" | "node.failed" | "node.waiting" | "node.skipped" | "run.completed" |
"run.failed" | "run.cancelled", "nodeId"?, "at" }; without it a live table (time, node, status). Exits when the run
ends: 0 when it completed, 1 otherwise (2 for an unknown run).`;
  static override examples = ['<%= config.bin %> runs watch <runId> --json'];
  static override args = { runId: Args.string({ description: 'the run id', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunsWatch);
    this.exit(await followRun(this.client, resolveConnection(), args.runId, flags.json));
  }
}
