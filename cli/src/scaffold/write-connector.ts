import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FlowForgeError } from '@flowforge/connectors-sdk';
import { connectorFiles } from './connector-files.ts';
import type { ConnectorNames } from './connector-names.ts';

/** What `flowforge nodes new --json` prints. */
export interface WrittenConnector {
  package: string;
  dir: string;
  /** Paths relative to `dir`, in the order written. */
  files: string[];
  types: string[];
}

/** The FlowForge checkout this CLI runs from: its SDK, vitest and Node are what the package links. */
const CHECKOUT = join(import.meta.dirname, '..', '..', '..');

/**
 * Writes a connector package into `dir` (which must not exist or be empty) and links what it needs
 * from this checkout instead of installing it: `@flowforge/connectors-sdk` (the very copy the worker
 * uses, which a worker requires), vitest, and a `vitest` bin that runs it with this checkout's Node.
 */
export function writeConnector(names: ConnectorNames, target: string): WrittenConnector {
  const dir = resolve(target);
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new FlowForgeError('FF_BAD_INPUT', `${dir} exists and is not an empty folder: nothing was written`, {
      path: ['dir'],
      hint: 'choose another folder with --dir, or remove that one first',
    });
  }
  const files = connectorFiles(names);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  linkCheckout(dir);
  return { package: names.packageName, dir, files: Object.keys(files), types: [names.type] };
}

function linkCheckout(dir: string): void {
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@flowforge'), { recursive: true });
  mkdirSync(join(modules, '.bin'), { recursive: true });
  symlinkSync(join(CHECKOUT, 'connectors-sdk'), join(modules, '@flowforge', 'connectors-sdk'));
  // pnpm's node_modules/vitest is itself a link into its store: link the real folder.
  symlinkSync(realpathSync(join(CHECKOUT, 'node_modules', 'vitest')), join(modules, 'vitest'));
  const bin = join(modules, '.bin', 'vitest');
  // vitest 5 needs Node 22+: the script runs it with the Node this CLI runs on (the checkout's Node 24).
  writeFileSync(
    bin,
    `#!/bin/sh\n# vitest with the FlowForge checkout's Node (written by flowforge nodes new)\nexec "${process.execPath}" "$(dirname "$0")/../vitest/vitest.mjs" "$@"\n`,
  );
  chmodSync(bin, 0o755);
}
