import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The chart under test and the tools scripts/toolchain.sh (ff_ensure_chart_tools) installed. */
export const CHART = join(import.meta.dirname, '..');

export function tool(variable: 'FF_HELM' | 'FF_KUBERNETES_VALIDATE' | 'FF_HADOLINT'): string {
  const path = process.env[variable];
  if (!path) {
    throw new Error(
      `${variable} is not set: run the chart tests with npm test (scripts/test.sh installs helm, kubernetes-validate and hadolint), or first: source scripts/toolchain.sh && ff_ensure_chart_tools`,
    );
  }
  return path;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: rendered manifests are free-form YAML, read by the assertions
  [field: string]: any;
}

/** What `helm template` is given: example values files (paths in the chart), values, --set pairs. */
export interface Inputs {
  files?: string[];
  /** Written to a values file after `files` (--set would replace a whole list to change one item). */
  values?: Record<string, unknown>;
  set?: string[];
}

const args = (inputs: Inputs) => [
  ...(inputs.files ?? []).flatMap((file) => ['-f', join(CHART, file)]),
  ...(inputs.values ? ['-f', scratchFile('values.json', JSON.stringify(inputs.values))] : []),
  ...(inputs.set ?? []).flatMap((pair) => ['--set', pair]),
];

function scratchFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ff-chart-')), name);
  writeFileSync(file, text);
  return file;
}

export async function template(inputs: Inputs = {}): Promise<Run> {
  return run(tool('FF_HELM'), ['template', 'ff', CHART, '--namespace', 'flowforge', ...args(inputs)]);
}

/** The rendered manifests, or a failure carrying helm's message. */
export async function render(inputs: Inputs = {}): Promise<{ text: string; manifests: Manifest[] }> {
  const result = await template(inputs);
  if (result.code !== 0) throw new Error(`helm template failed (${result.code}):\n${result.stderr}`);
  const manifests = parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null);
  return { text: result.stdout, manifests };
}

export async function lint(inputs: Inputs = {}): Promise<Run> {
  return run(tool('FF_HELM'), ['lint', '--strict', CHART, ...args(inputs)]);
}

/** kubernetes-validate --strict (the Kubernetes JSON schemas it carries, offline) over a rendering. */
export async function validate(text: string): Promise<Run> {
  return run(tool('FF_KUBERNETES_VALIDATE'), ['--strict', scratchFile('rendered.yaml', text)]);
}

export const ofKind = (manifests: Manifest[], kind: string) => manifests.filter((m) => m.kind === kind);

export function named(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in: ${manifests.map((m) => `${m.kind}/${m.metadata.name}`)}`);
  return found;
}

export interface Container {
  name: string;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  // biome-ignore lint/suspicious/noExplicitAny: free-form
  [field: string]: any;
}

/** Every pod template of the rendering (Deployments, Jobs) with its owner. */
export function podSpecs(manifests: Manifest[]): Array<{ owner: Manifest; spec: Manifest['spec'] }> {
  return manifests
    .filter((m) => m.kind === 'Deployment' || m.kind === 'Job')
    .map((owner) => ({ owner, spec: owner.spec.template.spec }));
}

export const envOf = (container: Container, name: string) => container.env?.find((e) => e.name === name);

/** The worker groups' Deployments. */
export const workerDeployments = (manifests: Manifest[]) =>
  ofKind(manifests, 'Deployment').filter((m) => m.metadata.labels?.['app.kubernetes.io/component'] === 'worker');
