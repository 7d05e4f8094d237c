import { z } from 'zod';
import { defineNodeType, ERROR_PORT } from '../index.ts';
import { ConditionSchema } from './condition.ts';

// Same shape as an edge's port in the workflow file; "error" belongs to onError: errorOutput.
const PORT = /^[A-Za-z_][A-Za-z0-9_-]{0,63}$/;
const PortNameSchema = z
  .string()
  .regex(PORT, { error: 'a port name is letters, digits, "_" or "-", starting with a letter or "_" (at most 64)' })
  .refine((port) => port !== ERROR_PORT, { error: `"${ERROR_PORT}" is reserved for onError: "errorOutput"` });

const RuleSchema = z.object({
  port: PortNameSchema.describe('The output port items matching this rule go to.'),
  condition: ConditionSchema,
});

export const coreSwitchType = defineNodeType({
  type: 'core.switch',
  version: 1,
  group: 'flow',
  displayName: 'Switch',
  description:
    'Routes each item to output ports by rules checked in order. In "first" mode an item goes to the first ' +
    'rule that matches, in "all" mode to every rule that matches; items no rule matches go to the fallback ' +
    'port, or are dropped when there is none. The output ports are the rules\u2019 ports.',
  params: z.object({
    rules: z
      .array(RuleSchema)
      .min(1, { error: 'a switch needs at least one rule' })
      .describe('Rules checked in order: { port, condition }. Several rules may share a port.'),
    fallbackPort: PortNameSchema.optional().describe('Port for items that no rule matches; dropped if unset.'),
    mode: z
      .enum(['first', 'all'])
      .default('first')
      .describe('"first": an item goes to the first matching rule; "all": to every matching rule.'),
  }),
  inputs: ['main'],
  outputs: switchPorts,
  defaultTimeout: '30s',
  capabilities: { pure: true },
});

/**
 * The ports a switch has, from its parameters as written: the rules' ports, then the fallback,
 * each once. Called by validation before the parameters are checked, so it reads defensively.
 */
export function switchPorts(rawParams: Record<string, unknown>): readonly string[] {
  const rules: unknown[] = Array.isArray(rawParams.rules) ? rawParams.rules : [];
  const ports = rules.map((rule) =>
    rule !== null && typeof rule === 'object' ? (rule as Record<string, unknown>).port : undefined,
  );
  ports.push(rawParams.fallbackPort);
  return [...new Set(ports.filter((port): port is string => typeof port === 'string' && PORT.test(port)))];
}
