import { defineNode, z } from '@flowforge/connectors-sdk';

/**
 * acme.greet: adds a greeting to every item. A starting point: change the params and `execute` into
 * your connector's. The params are zod, from the SDK's own `z`: the control plane validates
 * workflow files with them (through their JSON Schema) and the builder renders their form from it.
 */
export const greetNode = defineNode({
  type: 'acme.greet',
  version: 1,
  displayName: 'Greet',
  description: 'Adds a greeting for `name` to every item, in the field `field` ("greeting" unless set).',
  group: 'integration',
  params: z.object({
    name: z
      .string()
      .min(1, { error: 'say whom to greet, like "Ada" or "={{ $json.name }}"' })
      .describe('Whom to greet; may be an expression ("={{ $json.name }}").'),
    salutation: z.string().default('Hello').describe('The word before the name.'),
    field: z.string().min(1).default('greeting').describe('The field of each item the greeting goes to.'),
  }),
  inputs: ['main'],
  outputs: ['main'],
  defaultTimeout: '30s',
  // No side effect outside the run: running it again changes nothing.
  capabilities: { pure: true },
  execute(ctx) {
    return {
      main: ctx.items.map((item, index) => {
        // Expressions are evaluated per item: paramsAt(i) are item i's params.
        const { name, salutation, field } = ctx.paramsAt(index);
        return { ...item, json: { ...item.json, [field]: `${salutation}, ${name}!` } };
      }),
    };
  },
});
