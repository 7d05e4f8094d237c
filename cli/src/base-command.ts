import { FlowForgeError } from '@flowforge/connectors-sdk';
import { Command, Flags } from '@oclif/core';
import { resolveConnection } from './cli-config.ts';
import { ControlPlaneClient } from './control-plane-client.ts';
import { EXIT, exitCodeOf } from './exit-codes.ts';
import { errorJson, formatError, printJson } from './output.ts';

/**
 * What every FlowForge command shares: `--json`, the control plane client, and one way to report
 * errors (code, message, every issue, what to do; on stderr, and as JSON on stdout with --json)
 * with the documented exit codes.
 */
export abstract class FlowForgeCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({ description: 'print machine-readable JSON on stdout (progress stays on stderr)' }),
  };

  #client: ControlPlaneClient | undefined;

  protected get client(): ControlPlaneClient {
    this.#client ??= new ControlPlaneClient(resolveConnection());
    return this.#client;
  }

  protected get wantsJson(): boolean {
    return this.argv.includes('--json');
  }

  protected override async catch(error: Error & { parse?: unknown }): Promise<unknown> {
    if (error instanceof FlowForgeError) {
      if (this.wantsJson) printJson(errorJson(error));
      process.stderr.write(`${formatError(error)}\n`);
      this.exit(exitCodeOf(error.code));
    }
    // oclif's parse errors (bad flags, missing or extra arguments) carry `parse`; a flag value that
    // does not parse (`--limit abc`) is a plain Error "Parsing --limit …". Usage errors, exit 2.
    const badFlag = /^Parsing (--\S+)\s*\n\s*(.*)/.exec(error.message);
    if (error.parse !== undefined || badFlag) {
      const command = this.id?.replaceAll(':', ' ') ?? '';
      const message = badFlag ? `${badFlag[1]}: ${badFlag[2]}` : error.message;
      process.stderr.write(`FF_BAD_INPUT: ${message}\n  what to do: see flowforge ${command} --help\n`);
      this.exit(EXIT.usage);
    }
    return super.catch(error);
  }
}
