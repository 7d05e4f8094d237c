/** How the control plane protects itself; read from FLOWFORGE_* in config.ts, defaulted here once. */
export interface ProtectionOptions {
  /** `production`: introspection needs an API key (FLOWFORGE_MODE). */
  mode?: 'development' | 'production';
  /** Origins allowed to call from a browser (FLOWFORGE_CORS_ORIGINS); none: same-origin only. */
  corsOrigins?: readonly string[];
  rateLimit?: RateLimitOptions | false;
  graphql?: { maxDepth?: number; maxCost?: number };
}

export interface RateLimitOptions {
  /** Requests per window for one API key (FLOWFORGE_RATE_LIMIT_PER_KEY). */
  perKey?: number;
  /** Requests per window from one IP, keyed or not, webhooks aside (FLOWFORGE_RATE_LIMIT_PER_IP). */
  perIp?: number;
  /** Webhook requests per window from one IP (FLOWFORGE_RATE_LIMIT_WEBHOOK_PER_IP). */
  webhookPerIp?: number;
  /** The window, ms (FLOWFORGE_RATE_LIMIT_WINDOW). */
  windowMs?: number;
}

export type CompiledProtection = {
  mode: 'development' | 'production';
  corsOrigins: readonly string[];
  rateLimit: Required<RateLimitOptions> | false;
  graphql: { maxDepth: number; maxCost: number };
};

export const PROTECTION_DEFAULTS = {
  perKey: 1200,
  perIp: 2400,
  webhookPerIp: 6000,
  windowMs: 60_000,
  /** The schema itself is 3 deep; the standard introspection query (codegen, GraphiQL) needs about 13. */
  maxDepth: 15,
  /** A list field costs its `first`/`limit` times its selection: runs(limit: 100) of a full RunView is ~2,000. */
  maxCost: 10_000,
} as const;

export function compileProtection(options: ProtectionOptions = {}): CompiledProtection {
  const limits = options.rateLimit;
  return {
    mode: options.mode ?? 'development',
    corsOrigins: options.corsOrigins ?? [],
    rateLimit:
      limits === false
        ? false
        : {
            perKey: limits?.perKey ?? PROTECTION_DEFAULTS.perKey,
            perIp: limits?.perIp ?? PROTECTION_DEFAULTS.perIp,
            webhookPerIp: limits?.webhookPerIp ?? PROTECTION_DEFAULTS.webhookPerIp,
            windowMs: limits?.windowMs ?? PROTECTION_DEFAULTS.windowMs,
          },
    graphql: {
      maxDepth: options.graphql?.maxDepth ?? PROTECTION_DEFAULTS.maxDepth,
      maxCost: options.graphql?.maxCost ?? PROTECTION_DEFAULTS.maxCost,
    },
  };
}
