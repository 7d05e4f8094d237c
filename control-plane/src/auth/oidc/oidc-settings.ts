import { z } from 'zod';

/** OIDC sign-in, from FLOWFORGE_OIDC_*; undefined (off) when FLOWFORGE_OIDC_ISSUER is not set. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** Undefined for a public client (PKCE alone); never logged or put in an error. */
  clientSecret: string | undefined;
  /** This control plane's /auth/oidc/callback as registered at the provider. */
  redirectUrl: string;
  scopes: string;
  /** The claim that lists the user's groups (Keycloak's group mapper: `groups`). */
  groupsClaim: string;
  /** Group → role. Workspace roles for now; per-project roles when projects come. */
  groupRoles: Record<string, string>;
}

const isLoopback = (url: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
/** https, or http on this machine (a provider started beside the control plane, as the tests do). */
const ProviderUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .refine((url) => url.startsWith('https:') || isLoopback(url), { error: 'must be https (http only on 127.0.0.1)' });

const GroupRoles = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be JSON like {"ff-admins":"admin"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), z.string().min(1), { error: 'must map group names to role names' }));

export const OidcEnvSchema = z.object({
  FLOWFORGE_OIDC_ISSUER: ProviderUrl.optional(),
  FLOWFORGE_OIDC_CLIENT_ID: z.string().min(1).optional(),
  FLOWFORGE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  FLOWFORGE_OIDC_REDIRECT_URL: ProviderUrl.optional(),
  FLOWFORGE_OIDC_SCOPES: z
    .string()
    .regex(/(^|\s)openid(\s|$)/, { error: 'must include openid' })
    .default('openid email profile'),
  FLOWFORGE_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  FLOWFORGE_OIDC_GROUP_ROLES: GroupRoles.default({}),
});

/** Undefined when FLOWFORGE_OIDC_ISSUER is unset; else the client id and redirect URL are required. */
export function oidcSettingsOf(
  e: z.infer<typeof OidcEnvSchema>,
  missing: (variable: string) => never,
): OidcSettings | undefined {
  if (e.FLOWFORGE_OIDC_ISSUER === undefined) return undefined;
  return {
    issuer: e.FLOWFORGE_OIDC_ISSUER,
    clientId: e.FLOWFORGE_OIDC_CLIENT_ID ?? missing('FLOWFORGE_OIDC_CLIENT_ID'),
    clientSecret: e.FLOWFORGE_OIDC_CLIENT_SECRET,
    redirectUrl: e.FLOWFORGE_OIDC_REDIRECT_URL ?? missing('FLOWFORGE_OIDC_REDIRECT_URL'),
    scopes: e.FLOWFORGE_OIDC_SCOPES,
    groupsClaim: e.FLOWFORGE_OIDC_GROUPS_CLAIM,
    groupRoles: e.FLOWFORGE_OIDC_GROUP_ROLES,
  };
}

/** The roles a user's groups map to; Keycloak's full paths (`/ff-admins`) match without the slash too. */
export function rolesOfGroups(groups: unknown, mapping: Record<string, string>): string[] {
  const names = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
  const roles = names.flatMap((name) => [mapping[name], mapping[name.replace(/^\//, '')]]);
  return [...new Set(roles.filter((role): role is string => role !== undefined))].sort();
}
