import {
  FlowForgeError,
  type IssuePath,
  type JsonShapeProblem,
  jsonShapeProblem,
  MAX_JSON_DEPTH,
  shortPath,
} from '@flowforge/connectors-sdk';

/**
 * The largest request body the control plane reads (Fastify's bodyLimit): a workflow definition,
 * a run input or a resume body with its wrapping. It keeps what a run carries well under Temporal's
 * 2 MB payload limit; bigger data belongs in the systems a workflow calls, not in its arguments.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Checks one JSON argument that came from outside (a GraphQL JSON value, a resume body): at most
 * MAX_JSON_DEPTH deep, and no `__proto__` or `constructor.prototype` keys (Fastify refuses them in
 * request bodies already; GraphQL literals in the query text come through here only). FF_BAD_INPUT
 * with the path where it went wrong; `subject` names the argument in the message.
 */
export function checkJsonArgument(value: unknown, path: IssuePath = [], subject = 'the JSON value'): void {
  const problem = jsonShapeProblem(value, { maxDepth: MAX_JSON_DEPTH, prototypeKeys: true });
  if (problem) throw jsonArgumentError(problem, path, subject);
}

/** The error for a problem found in an argument at `path` (its name first, when known). */
export function jsonArgumentError(problem: JsonShapeProblem, path: IssuePath, subject: string): FlowForgeError {
  const at = [...path, ...problem.path];
  const details = { jsonProblem: problem };
  switch (problem.kind) {
    case 'too-deep':
      return new FlowForgeError(
        'FF_BAD_INPUT',
        `${subject} nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels (at ${shortPath(at)})`,
        {
          path: at,
          details,
          hint: `JSON arguments may nest at most ${MAX_JSON_DEPTH} levels: flatten the data, or pass the deep part as a string`,
        },
      );
    case 'prototype-key':
      return new FlowForgeError(
        'FF_BAD_INPUT',
        `${subject} has a key "${String(problem.path.at(-1))}" (at ${shortPath(at)}) that could change an object's prototype`,
        { path: at, details, hint: 'rename the key: FlowForge refuses __proto__ and constructor.prototype keys' },
      );
    default: {
      const unknown: never = problem;
      return unknown;
    }
  }
}
