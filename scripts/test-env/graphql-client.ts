/** A GraphQL call as the CLI makes it: a bearer API key; the first error becomes an Error with its code. */
export type GraphQL = <T>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export function graphqlClient(url: string, apiKey: string): GraphQL {
  return async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as {
      data?: T;
      errors?: Array<{ message: string; extensions?: { code?: string } }>;
    };
    const error = body.errors?.[0];
    if (error) throw new Error(`${error.extensions?.code ?? 'GraphQL'}: ${error.message}`);
    return body.data as T;
  };
}
