import { Flags } from '@oclif/core';
import { FlowForgeCommand } from '../base-command.ts';
import { REWRAP, ROTATE_KEY } from '../credential-queries.ts';
import { printJson, progress } from '../output.ts';

export default class CredentialsRotateKey extends FlowForgeCommand {
  static override summary = 'Rotate the master key: every data key is re-wrapped with a new one.';
  static override description =
    `With the key file ($FLOWFORGE_HOME/keys/encryption.key, the default) the control plane makes
the new key and puts it first in the file; the old one stays until nothing uses it. With
FLOWFORGE_ENCRYPTION_KEY, give the new key yourself: put it first ("<new>,<old>"), restart the
control plane, then run this. The key itself never travels over the API.

The data keys are re-wrapped in batches (progress on stderr); the secrets' ciphertexts stay as they
are. A failure half-way leaves every credential readable (old and new keys are both in the ring):
run the command again to finish. Old keys nothing uses any more are retired at the end.
JSON output: { "keyId", "total", "rewrapped", "remaining", "retiredKeyIds" }`;
  static override flags = {
    batch: Flags.integer({ description: 'data keys per step (1-1000)', default: 100, min: 1, max: 1000 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CredentialsRotateKey);
    const { rotateEncryptionKey: started } = await this.client.request(ROTATE_KEY.query, {}, ROTATE_KEY.schema);
    progress(`master key ${started.keyId}: ${started.remaining} of ${started.total} data keys to re-wrap`);
    let rewrapped = 0;
    let step = started;
    do {
      ({ rewrapCredentials: step } = await this.client.request(REWRAP.query, { limit: flags.batch }, REWRAP.schema));
      rewrapped += step.rewrapped;
      progress(`re-wrapped ${step.total - step.remaining} of ${step.total} data keys`);
      // A step that re-wrapped nothing while some remain means another process holds them: stop, do not spin.
    } while (step.remaining > 0 && step.rewrapped > 0);
    const result = { ...step, rewrapped };
    if (step.remaining > 0) {
      progress(`${step.remaining} data keys could not be re-wrapped now (changed meanwhile?): run rotate-key again`);
    }
    if (flags.json) {
      printJson(result);
    } else {
      this.log(
        `every data key is wrapped with master key ${step.keyId} (${rewrapped} re-wrapped now, ${step.total} in all)`,
      );
      if (step.retiredKeyIds.length > 0)
        this.log(`retired master keys no longer used: ${step.retiredKeyIds.join(', ')}`);
    }
    if (step.remaining > 0) this.exit(1);
  }
}
