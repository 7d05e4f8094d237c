import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectorFiles } from './connector-files.ts';
import { connectorNames } from './connector-names.ts';

describe('connectorNames', () => {
  it('derives the node type, export and display name from the package name', () => {
    expect(connectorNames('acme-greet')).toEqual({
      packageName: 'acme-greet',
      type: 'acme.greet',
      exportName: 'greetNode',
      displayName: 'Greet',
    });
    expect(connectorNames('acme-send-sms').type).toBe('acme.sendSms');
    expect(connectorNames('greet').type).toBe('custom.greet');
    expect(connectorNames('weather', 'acme')).toMatchObject({ type: 'acme.weather', exportName: 'weatherNode' });
  });

  it('refuses names npm or node types cannot take, and the built-in namespaces', () => {
    for (const name of ['Acme', 'acme_greet', 'acme--greet', '1acme', 'acme-2fa', '']) {
      expect(() => connectorNames(name), name).toThrow(/is not a connector name/);
    }
    expect(() => connectorNames('core-thing')).toThrow(/"core" cannot be the namespace/);
    expect(() => connectorNames('thing', 'Bad')).toThrow(/"Bad" cannot be the namespace/);
  });
});

describe('connectorFiles', () => {
  it('is what examples/connectors/acme-greet holds (its source, test and workflow)', () => {
    const example = join(import.meta.dirname, '..', '..', '..', 'examples', 'connectors', 'acme-greet');
    const files = connectorFiles(connectorNames('acme-greet'));
    for (const file of ['src/index.ts', 'src/acme-greet.ts', 'src/acme-greet.test.ts', 'workflow.json']) {
      expect(readFileSync(join(example, file), 'utf8'), file).toBe(files[file]);
    }
  });
});
