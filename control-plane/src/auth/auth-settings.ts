import { FlowForgeError } from '@flowforge/connectors-sdk';
import { z } from 'zod';
import { OidcEnvSchema, type OidcSettings, oidcSettingsOf } from './oidc/oidc-settings.ts';
import type { SessionSettings } from './sessions.ts';

/** Sign-in for the UI: sessions and OIDC, from FLOWFORGE_SESSION_*, FLOWFORGE_COOKIE_SECURE, FLOWFORGE_OIDC_*. */
export interface AuthSettings {
  sessions: SessionSettings;
  oidc: OidcSettings | undefined;
}

const AuthEnvSchema = OidcEnvSchema.extend({
  FLOWFORGE_SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(31 * 86_400)
    .default(12 * 3600),
  FLOWFORGE_SESSION_IDLE_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(31 * 86_400)
    .default(1800),
  FLOWFORGE_COOKIE_SECURE: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});

/** Throws FF_CONFIG naming the first wrong variable (never its value: a client secret may be one). */
export function readAuthSettings(env: NodeJS.ProcessEnv): AuthSettings {
  const parsed = AuthEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw configError(String(issue?.path[0] ?? 'environment'), `is invalid (${issue?.message})`);
  }
  const e = parsed.data;
  return {
    sessions: {
      ttlSeconds: e.FLOWFORGE_SESSION_TTL_SECONDS,
      idleSeconds: e.FLOWFORGE_SESSION_IDLE_SECONDS,
      secureCookies: e.FLOWFORGE_COOKIE_SECURE === undefined ? undefined : e.FLOWFORGE_COOKIE_SECURE === 'true',
    },
    oidc: oidcSettingsOf(e, (variable) => {
      throw configError(variable, 'is not set, and FLOWFORGE_OIDC_ISSUER is');
    }),
  };
}

function configError(variable: string, problem: string): FlowForgeError {
  return new FlowForgeError('FF_CONFIG', `${variable} ${problem}`, {
    path: [variable],
    hint: `set ${variable} and start again (unset FLOWFORGE_OIDC_ISSUER to turn OIDC sign-in off)`,
  });
}
