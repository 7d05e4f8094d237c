import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { FastifyInstance } from 'fastify';
import { type DocumentNode, visit } from 'graphql';
import { type ComplexityEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { CompiledProtection } from './protection-options.ts';

/**
 * A list field costs its page size (`first` or `limit`) times what each element selects, so
 * `runs(limit: 100) { nodes … }` costs a hundred runs and a query cannot ask for a million things
 * by nesting pages. Fields without a page size cost 1 plus their selection.
 */
const pageSizeEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const size = typeof args.first === 'number' ? args.first : typeof args.limit === 'number' ? args.limit : undefined;
  return size === undefined ? undefined : 1 + size * Math.max(1, childComplexity);
};

/**
 * The cost limit and the introspection rule, checked before execution (after Mercurius's query
 * cache, so a repeated query is not parsed or validated again, and with the request's variables,
 * so `first: $n` counts). The depth limit is Mercurius's `queryDepth` (see app.ts).
 */
export function registerGraphqlLimits(app: FastifyInstance, protection: CompiledProtection): void {
  const { maxCost } = protection.graphql;
  app.graphql.addHook('preExecution', async (schema, document, context, variables) => {
    if (protection.mode === 'production' && !context.principal && asksForIntrospection(document)) {
      throw new FlowForgeError('FF_UNAUTHENTICATED', 'introspection needs an API key in production mode', {
        hint: 'send "Authorization: Bearer <key>" (FLOWFORGE_MODE=production)',
      });
    }
    const cost = getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      estimators: [pageSizeEstimator, simpleEstimator({ defaultComplexity: 1 })],
    });
    if (cost > maxCost) {
      throw new FlowForgeError('FF_QUERY_TOO_COMPLEX', `the query costs ${cost}, more than the limit of ${maxCost}`, {
        hint: 'ask for fewer fields, or smaller pages (first/limit), in more requests (FLOWFORGE_GRAPHQL_MAX_COST)',
        details: { cost, maxCost },
      });
    }
  });
}

function asksForIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}
