import { readFileSync } from 'node:fs';
import { FlowForgeError } from './errors.ts';

/** What `Connection` (client) and `NativeConnection` (worker) both take as `tls`. */
export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

const FILES = {
  ca: 'FLOWFORGE_TEMPORAL_TLS_CA_FILE',
  cert: 'FLOWFORGE_TEMPORAL_TLS_CERT_FILE',
  key: 'FLOWFORGE_TEMPORAL_TLS_KEY_FILE',
} as const;

/**
 * TLS (and mTLS) to Temporal from the environment, shared by the control plane and the worker so
 * both read the same variables: FLOWFORGE_TEMPORAL_TLS=true turns TLS on with the system roots;
 * FLOWFORGE_TEMPORAL_TLS_CA_FILE, _CERT_FILE + _KEY_FILE (a client pair, as Temporal Cloud wants) and
 * _SERVER_NAME imply it. Files, not PEM variables, because Kubernetes mounts Secrets as files and a
 * rotated certificate then only needs a restart. `false` (plain gRPC) when none is set.
 */
export function temporalTlsFromEnv(env: NodeJS.ProcessEnv): TemporalTls | false {
  const flag = env.FLOWFORGE_TEMPORAL_TLS?.trim();
  if (flag !== undefined && flag !== '' && flag !== 'true' && flag !== 'false') {
    throw tlsError('FLOWFORGE_TEMPORAL_TLS', `is invalid ("${flag}")`, 'set it to "true" or "false"');
  }
  const serverName = env.FLOWFORGE_TEMPORAL_TLS_SERVER_NAME?.trim() || undefined;
  const [ca, cert, key] = [FILES.ca, FILES.cert, FILES.key].map((variable) => readPem(env, variable));
  if ((cert === undefined) !== (key === undefined)) {
    const missing = cert === undefined ? FILES.cert : FILES.key;
    throw tlsError(missing, 'is not set', `mTLS needs both ${FILES.cert} and ${FILES.key}`);
  }
  const anything = ca !== undefined || cert !== undefined || serverName !== undefined;
  if (flag === 'false' || (flag !== 'true' && !anything)) return false;
  return {
    ...(serverName ? { serverNameOverride: serverName } : {}),
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(cert && key ? { clientCertPair: { crt: cert, key } } : {}),
  };
}

function readPem(env: NodeJS.ProcessEnv, variable: string): Buffer | undefined {
  const file = env[variable]?.trim();
  if (!file) return undefined;
  try {
    return readFileSync(file);
  } catch (cause) {
    throw tlsError(
      variable,
      `names a file that cannot be read (${file}: ${(cause as NodeJS.ErrnoException).code})`,
      'point it at a PEM file this process can read',
      cause,
    );
  }
}

function tlsError(variable: string, problem: string, hint: string, cause?: unknown): FlowForgeError {
  return new FlowForgeError('FF_CONFIG', `${variable} ${problem}`, { path: [variable], hint, cause });
}
