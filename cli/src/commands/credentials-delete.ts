import { Args } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { DELETE_CREDENTIAL } from '../credential-queries.ts';
import { printJson } from '../output.ts';

export default class CredentialsDelete extends FlowForgeCommand {
  static override summary = 'Delete a credential (its value too).';
  static override description = `Runs that name it are refused at start from then on (FF_NOT_FOUND); a node of a run
already going that asks for it fails. An unknown name exits 2 (FF_NOT_FOUND).
JSON output: { "name", "type", "deleted": true }`;
  static override args = { name: Args.string({ description: 'the credential name', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(CredentialsDelete);
    const { deleteCredential } = await this.client.request(
      DELETE_CREDENTIAL.query,
      { name: args.name },
      DELETE_CREDENTIAL.schema,
    );
    if (flags.json) {
      printJson({ name: deleteCredential.name, type: deleteCredential.type, deleted: true });
      return;
    }
    this.log(`credential "${deleteCredential.name}" deleted`);
  }
}
