import { type Item, implementNode } from '@flowforge/connectors-sdk';
import { coreSwitchType, switchPorts } from '@flowforge/connectors-sdk/builtin';

export const coreSwitch = implementNode(coreSwitchType, (ctx) => {
  const outputs: Record<string, Item[]> = Object.fromEntries(switchPorts(ctx.params).map((port) => [port, []]));
  ctx.items.forEach((item, index) => {
    const { rules, fallbackPort, mode } = ctx.paramsAt(index);
    const matched = rules.filter((rule) => rule.condition).map((rule) => rule.port);
    const targets = mode === 'first' ? matched.slice(0, 1) : [...new Set(matched)];
    if (targets.length === 0 && fallbackPort) targets.push(fallbackPort);
    for (const port of targets) outputs[port]?.push(item);
  });
  return outputs;
});
