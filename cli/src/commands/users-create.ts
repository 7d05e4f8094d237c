import { Args, Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { printJson } from '../output.ts';
import { CREATE_USER, readPasswordFromStdin } from '../user-queries.ts';

export default class UsersCreate extends FlowForgeCommand {
  static override summary = 'Create a local user who signs in to the UI (needs an API key with the admin role).';
  static override description = `The password is never an argument (shell history, the process list): with
--password-stdin it is read from standard input and stored as an argon2id hash. Without it the user has
no password and signs in through OIDC only. Passwords have 12 to 1024 characters.
JSON output: { "id", "email", "name", "roles", "signIn", "createdAt", "lastLoginAt" }.`;
  static override examples = [
    `printf '%s' "$PASSWORD" | <%= config.bin %> users create ada@example.org --name "Ada Lovelace" --password-stdin`,
  ];
  static override args = {
    email: Args.string({ description: 'the user’s email (their sign-in name)', required: true }),
  };
  static override flags = {
    name: Flags.string({ description: 'the display name' }),
    'password-stdin': Flags.boolean({ description: 'read the password from standard input' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(UsersCreate);
    const password = flags['password-stdin'] ? await readPasswordFromStdin() : undefined;
    const { createUser } = await this.client.request(
      CREATE_USER.query,
      { email: args.email, name: flags.name ?? null, password: password ?? null },
      CREATE_USER.schema,
    );
    if (flags.json) {
      printJson(createUser);
      return;
    }
    this.log(`user ${createUser.email} created${password ? ' (with a password)' : ' (OIDC sign-in only)'}`);
  }
}
