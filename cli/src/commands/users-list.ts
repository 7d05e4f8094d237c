import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { LIST_USERS } from '../user-queries.ts';

export default class UsersList extends FlowForgeCommand {
  static override summary = 'List the users (needs an API key with the admin role).';
  static override description =
    'JSON output: [{ "id", "email", "name", "roles", "signIn", "createdAt", "lastLoginAt" }], by email; signIn lists password and/or oidc.';

  async run(): Promise<void> {
    const { flags } = await this.parse(UsersList);
    const { users } = await this.client.request(LIST_USERS.query, {}, LIST_USERS.schema);
    if (flags.json) {
      printJson(users);
      return;
    }
    if (users.length === 0) {
      this.log('no users yet: flowforge users create <email> --password-stdin');
      return;
    }
    const width = Math.max(...users.map((u) => u.email.length));
    for (const user of users) {
      const how = user.signIn.join('+') || 'no sign-in';
      this.log(`${user.email.padEnd(width)}  ${how.padEnd(15)}  ${user.name ?? ''}`);
    }
  }
}
