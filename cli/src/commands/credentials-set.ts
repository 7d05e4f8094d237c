import { Args, Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { checkNameAndType, checkSetArguments, readCredentialValue } from '../credential-input.ts';
import { SET_CREDENTIAL } from '../credential-queries.ts';
import { printJson } from '../output.ts';

export default class CredentialsSet extends FlowForgeCommand {
  static override summary = 'Create or replace a credential; its JSON value is read from standard input.';
  static override description = `The value never goes on the command line (shell history, the process list):
pipe it in. It is checked against the type's fields (errors name the field, never the value),
encrypted at rest, and can never be read back; nodes get it while they run.

Types: httpHeaderAuth {"name","value"}, httpBasicAuth {"user","password"}, httpBearerAuth {"token"},
oauth2ClientCredentials {"tokenUrl","clientId","clientSecret","scope"?}.
JSON output: { "name", "type", "createdAt", "updatedAt", "created" } (created is false when it replaced one).`;
  static override examples = [
    '<%= config.bin %> credentials set github --type httpBearerAuth < github-token.json',
    `printf '%s' "$API_CREDENTIAL_JSON" | <%= config.bin %> credentials set billing-api --type httpHeaderAuth`,
  ];
  static override args = { name: Args.string({ description: 'the credential name', required: true }) };
  static override flags = {
    type: Flags.string({ char: 't', description: 'the credential type (httpBearerAuth, ...)', required: true }),
  };

  async run(): Promise<void> {
    // Before oclif's parser: its errors would quote an argument that may be the secret.
    checkSetArguments(this.argv);
    const { args, flags } = await this.parse(CredentialsSet);
    checkNameAndType(args.name, flags.type);
    const value = await readCredentialValue();
    const { setCredential } = await this.client.request(
      SET_CREDENTIAL.query,
      { name: args.name, type: flags.type, value },
      SET_CREDENTIAL.schema,
    );
    const { credential, created } = setCredential;
    if (flags.json) {
      printJson({ ...credential, created });
      return;
    }
    this.log(`credential "${credential.name}" (${credential.type}) ${created ? 'created' : 'replaced'}`);
  }
}
