// What a FlowForge worker loads from this package (FLOWFORGE_NODE_PACKAGES): every node definition in `nodes`.
import { greetNode } from './acme-greet.ts';

export { greetNode };
export const nodes = [greetNode];
