import { FlowForgeError, NODE_TYPE_NAME } from '@flowforge/connectors-sdk';

/** Everything `flowforge nodes new <name>` derives from the name. */
export interface ConnectorNames {
  /** The npm package name, as given: `acme-greet`. */
  packageName: string;
  /** The node type: `acme.greet` (namespace, then the rest of the name in camelCase). */
  type: string;
  /** The definition's export name: `greetNode` (the suffix keeps words like `delete` legal). */
  exportName: string;
  /** `Greet`. */
  displayName: string;
}

const PACKAGE_NAME = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)*$/;
const NAMESPACE = /^[a-z][a-zA-Z0-9]*$/;
/** The control plane's own namespaces: a connector's type there would collide with a built-in one. */
const RESERVED_NAMESPACES = new Set(['core', 'trigger', 'http']);

/**
 * `acme-greet` → package `acme-greet`, type `acme.greet`; `acme-send-sms` → `acme.sendSms`; a name of
 * one word (`greet`) gets the namespace `custom` (`custom.greet`) unless `namespace` is given.
 */
export function connectorNames(name: string, namespace?: string): ConnectorNames {
  if (!PACKAGE_NAME.test(name) || name.length > 60) {
    throw new FlowForgeError('FF_BAD_INPUT', `"${name}" is not a connector name`, {
      path: ['name'],
      hint:
        'use lower-case words joined by "-", each starting with a letter (at most 60 characters), like acme-greet: ' +
        'the package is acme-greet and its node type acme.greet',
    });
  }
  const words = name.split('-');
  const nodeWords = words.length > 1 && namespace === undefined ? words.slice(1) : words;
  const space = namespace ?? (words.length > 1 ? (words[0] as string) : 'custom');
  if (!NAMESPACE.test(space) || RESERVED_NAMESPACES.has(space)) {
    throw new FlowForgeError('FF_BAD_INPUT', `"${space}" cannot be the namespace of a connector's node type`, {
      path: ['namespace'],
      hint: `a namespace is a lower-case letter then letters and digits, and not ${[...RESERVED_NAMESPACES].join(', ')} (the built-in ones)`,
    });
  }
  const nodeName = nodeWords.map((word, index) => (index === 0 ? word : capitalised(word))).join('');
  const type = `${space}.${nodeName}`;
  if (!NODE_TYPE_NAME.test(type)) {
    throw new FlowForgeError('FF_BAD_INPUT', `"${type}" is not a node type name`, { path: ['name'] });
  }
  return {
    packageName: name,
    type,
    exportName: `${nodeName}Node`,
    displayName: nodeWords.map(capitalised).join(' '),
  };
}

function capitalised(word: string): string {
  return `${word.charAt(0).toUpperCase()}${word.slice(1)}`;
}
