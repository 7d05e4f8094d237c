import type { SecretsConfig } from '../config.ts';
import { loadKeyRing } from './master-keys.ts';
import { LocalSecretBackend, type SecretBackend } from './secret-backend.ts';
import { VaultSecretBackend } from './vault-backend.ts';

/** The backend FLOWFORGE_SECRETS_BACKEND names, with its settings (config.ts checked them). */
export function createSecretBackend(config: SecretsConfig, home: string): SecretBackend {
  switch (config.backend) {
    case 'local':
      return new LocalSecretBackend(loadKeyRing({ home, fromEnv: config.encryptionKey }));
    case 'vault':
      return new VaultSecretBackend(config.vault);
    default: {
      const exhaustive: never = config;
      throw new Error(`unknown secrets backend ${JSON.stringify(exhaustive)}`);
    }
  }
}
