import type { NodeContext } from '@flowforge/connectors-sdk';
import type {
  HttpAuthentication,
  HttpBasicAuth,
  HttpBearerAuth,
  HttpHeaderAuth,
  HttpParams,
  OAuth2ClientCredentials,
} from '@flowforge/connectors-sdk/builtin';
import { clientAuthorization, type OAuth2TokenCache, workerOAuth2Tokens } from './oauth2-tokens.ts';

/** How one http.request execution authenticates its requests. */
export interface RequestAuth {
  /** Sets the credential's header; it wins over a header of the same name in `params.headers`. */
  apply(headers: Headers): Promise<void>;
  /** After a 401: whether asking again with fresh authentication may help (an OAuth2 token the API refused). */
  renew(): boolean;
}

/**
 * The node's `authentication` as a RequestAuth, from the credential in the slot of that name
 * (`ctx.credential` fetches it once per execution and tells the scrubber its secret fields). Every
 * value derived from it (an encoded header, an access token) is marked secret as well.
 */
export async function requestAuth(
  ctx: NodeContext<HttpParams>,
  authentication: HttpParams['authentication'],
  tokens: OAuth2TokenCache = workerOAuth2Tokens,
): Promise<RequestAuth | undefined> {
  if (authentication === 'none') return undefined;
  const kind: HttpAuthentication = authentication;
  switch (kind) {
    case 'httpHeaderAuth': {
      const { name, value } = await ctx.credential<HttpHeaderAuth>(kind);
      return fixed(name, value);
    }
    case 'httpBasicAuth': {
      const { user, password } = await ctx.credential<HttpBasicAuth>(kind);
      const encoded = ctx.secret(Buffer.from(`${user}:${password}`).toString('base64'));
      return fixed('authorization', `Basic ${encoded}`);
    }
    case 'httpBearerAuth': {
      const { token } = await ctx.credential<HttpBearerAuth>(kind);
      return fixed('authorization', `Bearer ${token}`);
    }
    case 'oauth2ClientCredentials': {
      const credential = await ctx.credential<OAuth2ClientCredentials>(kind);
      ctx.secret(clientAuthorization(credential).slice('Basic '.length));
      let used: string | undefined;
      let renewed = false;
      return {
        async apply(headers) {
          used = ctx.secret(await tokens.token(credential, ctx.signal));
          headers.set('authorization', `Bearer ${used}`);
        },
        renew() {
          // Once per execution: a second 401 with a brand-new token is the API's answer, not a stale token.
          if (renewed || used === undefined) return false;
          renewed = true;
          tokens.invalidate(credential, used);
          return true;
        },
      };
    }
    default: {
      const exhaustive: never = kind;
      throw new Error(`unknown authentication ${String(exhaustive)}`);
    }
  }
}

function fixed(name: string, value: string): RequestAuth {
  return {
    async apply(headers) {
      headers.set(name, value);
    },
    renew: () => false,
  };
}
