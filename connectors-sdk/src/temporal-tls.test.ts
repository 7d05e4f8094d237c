import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporalTlsFromEnv } from './temporal-tls.ts';

const dir = mkdtempSync(join(tmpdir(), 'ff-tls-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const ca = file('ca.pem', 'CA PEM');
const crt = file('tls.crt', 'CERT PEM');
const key = file('tls.key', 'KEY PEM');

describe('temporalTlsFromEnv', () => {
  it('is plain gRPC when nothing is set, and when FLOWFORGE_TEMPORAL_TLS=false', () => {
    expect(temporalTlsFromEnv({})).toBe(false);
    expect(temporalTlsFromEnv({ FLOWFORGE_TEMPORAL_TLS: 'false', FLOWFORGE_TEMPORAL_TLS_CA_FILE: ca })).toBe(false);
  });

  it('turns TLS on with the system roots, or with the files it is given (mTLS)', () => {
    expect(temporalTlsFromEnv({ FLOWFORGE_TEMPORAL_TLS: 'true' })).toEqual({});
    const tls = temporalTlsFromEnv({
      FLOWFORGE_TEMPORAL_TLS_CA_FILE: ca,
      FLOWFORGE_TEMPORAL_TLS_CERT_FILE: crt,
      FLOWFORGE_TEMPORAL_TLS_KEY_FILE: key,
      FLOWFORGE_TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(tls).toEqual({
      serverNameOverride: 'temporal.internal',
      serverRootCACertificate: Buffer.from('CA PEM'),
      clientCertPair: { crt: Buffer.from('CERT PEM'), key: Buffer.from('KEY PEM') },
    });
  });

  it('refuses half a client pair, an unreadable file and a bad flag with FF_CONFIG naming the variable', () => {
    expect(() => temporalTlsFromEnv({ FLOWFORGE_TEMPORAL_TLS_CERT_FILE: crt })).toThrow(
      /FLOWFORGE_TEMPORAL_TLS_KEY_FILE is not set/,
    );
    expect(() => temporalTlsFromEnv({ FLOWFORGE_TEMPORAL_TLS_CA_FILE: join(dir, 'missing.pem') })).toThrow(
      /FLOWFORGE_TEMPORAL_TLS_CA_FILE names a file that cannot be read .*ENOENT/,
    );
    expect(() => temporalTlsFromEnv({ FLOWFORGE_TEMPORAL_TLS: 'yes' })).toThrow(/FLOWFORGE_TEMPORAL_TLS is invalid/);
  });
});
