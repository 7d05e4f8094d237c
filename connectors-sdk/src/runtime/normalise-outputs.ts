import { type AnyNodeDefinition, resolvePorts } from '../define-node.ts';
import { FlowForgeError } from '../errors.ts';
import { type PortItems, toItems } from '../items.ts';

/**
 * Checks what `execute` returned against the node's declared output ports and gives every declared
 * port a list (empty when the node left it out: the engine reads an empty port as "did not fire").
 * A port the node does not declare is a bug in the node, not in the workflow: FF_INTERNAL.
 */
export function normaliseOutputs(
  definition: AnyNodeDefinition,
  nodeId: string,
  rawParams: Record<string, unknown>,
  returned: unknown,
): PortItems {
  const ports = resolvePorts(definition.outputs, rawParams);
  const where = `node "${nodeId}" (type ${definition.type})`;
  if (returned === null || typeof returned !== 'object' || Array.isArray(returned)) {
    throw new FlowForgeError(
      'FF_INTERNAL',
      `${where} returned ${describe(returned)} from execute; it must return items per port, like { main: [{ json: {} }] }`,
    );
  }
  const outputs: PortItems = {};
  for (const port of ports) outputs[port] = [];
  for (const [port, value] of Object.entries(returned)) {
    if (!ports.includes(port) && !definition.extraOutputs?.test(port)) {
      const known = ports.length > 0 ? ports.map((p) => `"${p}"`).join(', ') : 'none';
      throw new FlowForgeError(
        'FF_INTERNAL',
        `${where} returned items on port "${port}", which it does not declare (its output ports: ${known})`,
      );
    }
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      throw new FlowForgeError(
        'FF_INTERNAL',
        `${where} returned ${describe(value)} on port "${port}"; a port carries a list of items`,
      );
    }
    // Plain objects are wrapped as { json } so node authors may return `[{ a: 1 }]` as n8n allows.
    outputs[port] = toItems(value);
  }
  return outputs;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
