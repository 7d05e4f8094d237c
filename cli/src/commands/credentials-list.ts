import { FlowForgeCommand } from '../base-command.ts';
import { LIST_CREDENTIALS } from '../credential-queries.ts';
import { printJson } from '../output.ts';

export default class CredentialsList extends FlowForgeCommand {
  static override summary = 'List the credentials: names, types and times, never values.';
  static override description = 'JSON output: [{ "name", "type", "createdAt", "updatedAt" }], by name.';

  async run(): Promise<void> {
    const { flags } = await this.parse(CredentialsList);
    const { credentials } = await this.client.request(LIST_CREDENTIALS.query, {}, LIST_CREDENTIALS.schema);
    if (flags.json) {
      printJson(credentials);
      return;
    }
    if (credentials.length === 0) {
      this.log('no credentials yet: flowforge credentials set <name> --type <type> < value.json');
      return;
    }
    const width = Math.max(...credentials.map((c) => c.name.length));
    const typeWidth = Math.max(...credentials.map((c) => c.type.length));
    for (const credential of credentials) {
      this.log(
        `${credential.name.padEnd(width)}  ${credential.type.padEnd(typeWidth)}  updated ${credential.updatedAt}`,
      );
    }
  }
}
