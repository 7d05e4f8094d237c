import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHART,
  type Container,
  envOf,
  lint,
  type Manifest,
  named,
  ofKind,
  podSpecs,
  render,
  run,
  template,
  tool,
  validate,
  workerDeployments,
} from './render.ts';
import { readmeRows, valuesRows } from './values-table.ts';

/**
 * The chart's checks (npm test): lint, renderings validated against the Kubernetes schemas
 * offline, assertions over the rendered YAML and the schema's refusals. Needs no Temporal and no
 * PostgreSQL: only helm, kubernetes-validate and hadolint (scripts/toolchain.sh installs them).
 */
const EXAMPLES = readdirSync(join(CHART, 'examples')).filter((file) => file.endsWith('.yaml'));
const RENDERINGS = [{ label: 'default values', files: [] as string[] }].concat(
  EXAMPLES.map((file) => ({ label: file, files: [`examples/${file}`] })),
);
/** Kinds of CRDs (KEDA, Prometheus Operator) kubernetes-validate has no schema for: asserted below instead. */
const CUSTOM_KINDS = ['ScaledObject', 'TriggerAuthentication', 'ServiceMonitor'];

/** Inline keys: recognisable strings to look for where they must not be. */
const INLINE = {
  privateKey: '-----BEGIN PRIVATE KEY-----\nPRIVATE-KEY-CANARY\n-----END PRIVATE KEY-----',
  publicKey: '-----BEGIN PUBLIC KEY-----\nPUBLIC-KEY-CANARY\n-----END PUBLIC KEY-----',
  encryptionKey: `${'E'.repeat(43)}=`,
  workerToken: 'WORKER-TOKEN-CANARY-0123456789abcdef',
  databaseUrl: 'postgresql://flowforge:DB-PASSWORD-CANARY@db.internal:5432/flowforge',
};
const INLINE_SET = [
  `secrets.runSigningPrivateKey=${INLINE.privateKey}`,
  `secrets.runSigningPublicKey=${INLINE.publicKey}`,
  `secrets.encryptionKey=${INLINE.encryptionKey}`,
  `secrets.workerToken=${INLINE.workerToken}`,
  `postgresql.external.url=${INLINE.databaseUrl}`,
];

const containersOf = (manifests: Manifest[]) =>
  podSpecs(manifests).flatMap(({ owner, spec }) => (spec.containers as Container[]).map((c) => ({ owner, c })));

describe('helm/flowforge', () => {
  it('passes helm lint --strict with the default values and each example', async () => {
    for (const { label, files } of RENDERINGS) {
      const result = await lint({ files });
      expect(result.code, `${label}:\n${result.stdout}${result.stderr}`).toBe(0);
    }
  });

  it.each(RENDERINGS)(
    'renders $label into manifests the Kubernetes schemas accept (strict, offline)',
    async ({ files }) => {
      const { text, manifests } = await render({ files });
      const result = await validate(text);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const builtIn = manifests.filter((m) => !CUSTOM_KINDS.includes(m.kind));
      expect(result.stdout.match(/ passed for resource /g)?.length).toBe(builtIn.length);
      for (const kind of new Set(manifests.map((m) => m.kind).filter((k) => CUSTOM_KINDS.includes(k)))) {
        expect(result.stdout + result.stderr).toContain(`Couldn't find schema for kind ${kind}`);
      }
    },
  );

  it('kubernetes-validate really refuses what Kubernetes would (an unknown container field)', async () => {
    const { text } = await render();
    const result = await validate(text.replace('imagePullPolicy: IfNotPresent', 'imagePullPolcy: IfNotPresent'));
    expect(result.code).not.toBe(0);
  });

  it('makes one Deployment per worker group on its task queue, with KEDA or an HPA as each asks', async () => {
    const { manifests } = await render({ files: ['examples/keda-autoscaling.yaml'] });
    const defaults = named(manifests, 'Deployment', 'ff-flowforge-worker-default');
    const heavy = named(manifests, 'Deployment', 'ff-flowforge-worker-heavy');
    expect(workerDeployments(manifests)).toHaveLength(2);
    const container = (d: Manifest) => d.spec.template.spec.containers[0] as Container;
    expect(envOf(container(defaults), 'FLOWFORGE_TASK_QUEUE')?.value).toBe('flowforge');
    expect(envOf(container(heavy), 'FLOWFORGE_TASK_QUEUE')?.value).toBe('flowforge-heavy');
    expect(envOf(container(heavy), 'FLOWFORGE_NODE_PACKAGES')?.value).toBe('@acme/flowforge-nodes');
    expect(envOf(container(defaults), 'FLOWFORGE_NODE_PACKAGES')).toBeUndefined();
    expect(container(heavy).image).toBe('registry.example.com/flowforge/worker-with-packages:0.1.0');
    expect(container(defaults).image).toBe('flowforge/worker:0.1.0');
    // Autoscaled Deployments leave replicas to the autoscaler.
    expect(defaults.spec.replicas).toBeUndefined();
    // Each group selects its own pods only.
    expect(defaults.spec.selector.matchLabels['flowforge.dev/worker-group']).toBe('default');

    const scaled = named(manifests, 'ScaledObject', 'ff-flowforge-worker-default');
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaled.spec.scaleTargetRef.name).toBe(defaults.metadata.name);
    expect(scaled.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 30 });
    expect(scaled.spec.triggers).toEqual([
      {
        type: 'temporal',
        metadata: {
          endpoint: 'temporal-frontend.temporal.svc.cluster.local:7233',
          namespace: 'default',
          taskQueue: 'flowforge',
          targetQueueSize: '10',
        },
      },
    ]);
    const hpa = named(manifests, 'HorizontalPodAutoscaler', 'ff-flowforge-worker-heavy');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: heavy.metadata.name });
    expect(hpa.spec.metrics[0].resource).toEqual({
      name: 'cpu',
      target: { type: 'Utilization', averageUtilization: 60 },
    });
    expect(ofKind(manifests, 'ScaledObject')).toHaveLength(1);
    expect(named(manifests, 'HorizontalPodAutoscaler', 'ff-flowforge-control-plane').spec.maxReplicas).toBe(8);
  });

  it('points both sides at an external Temporal over mTLS, and KEDA too', async () => {
    const { manifests } = await render({
      files: ['examples/temporal-cloud-mtls.yaml'],
      values: {
        workerGroups: [
          {
            name: 'default',
            taskQueue: 'flowforge',
            replicas: 1,
            resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
            autoscaling: { enabled: true, keda: true, minReplicas: 1, maxReplicas: 4, targetQueueSize: 5 },
          },
        ],
      },
    });
    for (const component of ['control-plane', 'worker']) {
      const config = named(manifests, 'ConfigMap', `ff-flowforge-${component}`).data;
      expect(config).toMatchObject({
        FLOWFORGE_TEMPORAL_ADDRESS: 'my-namespace.a1b2c.tmprl.cloud:7233',
        FLOWFORGE_TEMPORAL_NAMESPACE: 'my-namespace.a1b2c',
        FLOWFORGE_TEMPORAL_TLS: 'true',
        FLOWFORGE_TEMPORAL_TLS_CERT_FILE: '/etc/flowforge/temporal-tls/tls.crt',
        FLOWFORGE_TEMPORAL_TLS_KEY_FILE: '/etc/flowforge/temporal-tls/tls.key',
      });
      expect(config.FLOWFORGE_TEMPORAL_TLS_CA_FILE).toBeUndefined();
    }
    for (const { owner, spec } of podSpecs(manifests).filter(({ owner }) => owner.kind === 'Deployment')) {
      expect(spec.volumes, owner.metadata.name).toContainEqual({
        name: 'temporal-tls',
        secret: { secretName: 'temporal-cloud-mtls' },
      });
      expect(spec.containers[0].volumeMounts).toContainEqual({
        name: 'temporal-tls',
        mountPath: '/etc/flowforge/temporal-tls',
        readOnly: true,
      });
    }
    const scaled = named(manifests, 'ScaledObject', 'ff-flowforge-worker-default');
    expect(scaled.spec.triggers[0].authenticationRef).toEqual({ name: 'ff-flowforge-worker-default' });
    expect(named(manifests, 'TriggerAuthentication', 'ff-flowforge-worker-default').spec.secretTargetRef).toEqual([
      { parameter: 'cert', name: 'temporal-cloud-mtls', key: 'tls.crt' },
      { parameter: 'key', name: 'temporal-cloud-mtls', key: 'tls.key' },
    ]);
    const ingress = named(manifests, 'Ingress', 'ff-flowforge-control-plane');
    expect(ingress.spec.rules[0].host).toBe('flowforge.example.com');
    expect(ingress.spec.tls).toEqual([{ hosts: ['flowforge.example.com'], secretName: 'flowforge-example-com-tls' }]);
  });

  it('reads the database URL from the existing Secret, or writes an inline one into Secrets for the app and the migrations hook', async () => {
    const byDefault = await render();
    const cp = (m: Manifest[]) => named(m, 'Deployment', 'ff-flowforge-control-plane').spec.template.spec.containers[0];
    expect(envOf(cp(byDefault.manifests), 'FLOWFORGE_DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({
      name: 'flowforge-postgresql',
      key: 'url',
    });
    const job = named(byDefault.manifests, 'Job', 'ff-flowforge-migrations');
    expect(job.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.template.spec.containers[0].command).toEqual([
      'node',
      'node_modules/prisma/build/index.js',
      'migrate',
      'deploy',
    ]);
    expect(envOf(job.spec.template.spec.containers[0], 'DATABASE_URL')?.valueFrom?.secretKeyRef?.name).toBe(
      'flowforge-postgresql',
    );

    const { manifests } = await render({ files: ['examples/temporal-in-cluster.yaml'] });
    expect(named(manifests, 'Secret', 'ff-flowforge-database').stringData.url).toContain('postgres.databases.svc');
    expect(envOf(cp(manifests), 'FLOWFORGE_DATABASE_URL')?.valueFrom?.secretKeyRef?.name).toBe('ff-flowforge-database');
    const hookSecret = named(manifests, 'Secret', 'ff-flowforge-migrations');
    expect(hookSecret.metadata.annotations?.['helm.sh/hook-weight']).toBe('-10');
    const hookJob = named(manifests, 'Job', 'ff-flowforge-migrations').spec.template.spec.containers[0];
    expect(envOf(hookJob, 'DATABASE_URL')?.valueFrom?.secretKeyRef?.name).toBe('ff-flowforge-migrations');
  });

  it('keeps every secret out of ConfigMaps and the private key away from workers', async () => {
    for (const inputs of [{}, { set: INLINE_SET }, ...EXAMPLES.map((f) => ({ files: [`examples/${f}`] }))]) {
      const { manifests } = await render(inputs);
      for (const config of ofKind(manifests, 'ConfigMap')) {
        const text = JSON.stringify(config.data);
        for (const value of Object.values(INLINE)) expect(text).not.toContain(value.split('\n')[1] ?? value);
        expect(Object.keys(config.data)).not.toContain('FLOWFORGE_RUN_SIGNING_PRIVATE_KEY');
        expect(text).not.toMatch(/postgres(ql)?:\/\/|TOKEN|PRIVATE KEY/);
      }
      for (const worker of workerDeployments(manifests)) {
        const c = worker.spec.template.spec.containers[0] as Container;
        const refs = (c.env ?? []).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.key] : []));
        expect(refs.sort()).toEqual(['run-signing-public-key', 'worker-token']);
        for (const name of [
          'FLOWFORGE_RUN_SIGNING_PRIVATE_KEY',
          'FLOWFORGE_ENCRYPTION_KEY',
          'FLOWFORGE_DATABASE_URL',
        ]) {
          expect(envOf(c, name)).toBeUndefined();
        }
      }
    }
    const { manifests, text } = await render({ set: INLINE_SET });
    const workerSecret = named(manifests, 'Secret', 'ff-flowforge-worker');
    expect(Object.keys(workerSecret.stringData).sort()).toEqual(['run-signing-public-key', 'worker-token']);
    expect(JSON.stringify(workerSecret)).not.toContain('PRIVATE-KEY-CANARY');
    expect(named(manifests, 'Secret', 'ff-flowforge-control-plane').stringData).toEqual({
      'run-signing-private-key': INLINE.privateKey,
      'encryption-key': INLINE.encryptionKey,
      'worker-token': INLINE.workerToken,
    });
    expect(text.split('PRIVATE-KEY-CANARY').length - 1).toBe(1);
  });

  it('runs every pod non-root, read-only, without capabilities or a service account token, with limits', async () => {
    for (const { label, files } of RENDERINGS) {
      const { manifests } = await render({ files });
      for (const { owner, spec } of podSpecs(manifests)) {
        const where = `${label}: ${owner.kind}/${owner.metadata.name}`;
        expect(spec.automountServiceAccountToken, where).toBe(false);
        expect(spec.securityContext, where).toMatchObject({
          runAsNonRoot: true,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(spec.volumes, where).toContainEqual({ name: 'tmp', emptyDir: {} });
      }
      for (const { owner, c } of containersOf(manifests)) {
        const where = `${label}: ${owner.metadata.name}/${c.name}`;
        expect(c.securityContext, where).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(c.resources.requests, where).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
        expect(c.resources.limits, where).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
        expect(c.volumeMounts, where).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      }
      for (const account of ofKind(manifests, 'ServiceAccount')) {
        expect(account.automountServiceAccountToken, account.metadata.name).toBe(false);
      }
    }
  });

  it('lets workers reach only DNS, Temporal and the control plane (plus what is added)', async () => {
    const policy = (m: Manifest[]) => named(m, 'NetworkPolicy', 'ff-flowforge-worker').spec;
    const byDefault = policy((await render()).manifests);
    expect(byDefault.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(byDefault.egress.map((rule: { ports: Array<{ port: number }> }) => rule.ports.map((p) => p.port))).toEqual([
      [53, 53],
      [7233],
      [4000],
    ]);
    expect(byDefault.egress[2].to[0].podSelector.matchLabels['app.kubernetes.io/component']).toBe('control-plane');
    const inCluster = policy((await render({ files: ['examples/temporal-in-cluster.yaml'] })).manifests);
    expect(inCluster.egress[1].to).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'temporal' } } },
    ]);
    const cloud = policy((await render({ files: ['examples/temporal-cloud-mtls.yaml'] })).manifests);
    expect(cloud.egress).toHaveLength(4);
    expect(cloud.egress[3]).toEqual({ ports: [{ port: 443, protocol: 'TCP' }] });
  });

  it('scrapes /metrics with ServiceMonitors and ships the Grafana dashboard when asked, not by default', async () => {
    expect(ofKind((await render()).manifests, 'ServiceMonitor')).toHaveLength(0);
    const { manifests } = await render({ files: ['examples/temporal-in-cluster.yaml'] });
    const monitors = ofKind(manifests, 'ServiceMonitor');
    expect(monitors.map((m) => [m.metadata.name, m.spec.endpoints[0].port, m.spec.endpoints[0].path])).toEqual([
      ['ff-flowforge-control-plane', 'http', '/metrics'],
      ['ff-flowforge-worker', 'metrics', '/metrics'],
    ]);
    expect(monitors[0]?.metadata.labels?.release).toBe('kube-prometheus-stack');
    const workerService = named(manifests, 'Service', 'ff-flowforge-worker-metrics');
    expect(workerService.spec.ports[0].port).toBe(9464);
    const worker = workerDeployments(manifests)[0]?.spec.template.spec.containers[0] as Container;
    expect(named(manifests, 'ConfigMap', 'ff-flowforge-worker').data.FLOWFORGE_WORKER_METRICS_PORT).toBe('9464');
    expect(worker.ports).toContainEqual({ name: 'metrics', containerPort: 9464, protocol: 'TCP' });
    const dashboard = JSON.parse(named(manifests, 'ConfigMap', 'ff-flowforge-dashboard').data['flowforge.json']);
    const queries = JSON.stringify(dashboard.panels.flatMap((p: { targets: unknown[] }) => p.targets));
    for (const metric of [
      'flowforge_runs_started_total',
      'flowforge_runs_finished_total',
      'flowforge_node_duration_seconds_bucket',
      'flowforge_approvals_waiting',
    ]) {
      expect(queries).toContain(metric);
    }
    // The workers label runs by the run's status as the CLI shows it: COMPLETED, FAILED, CANCELLED.
    expect(queries).toContain('status=\\"FAILED\\"');
    expect(queries).not.toMatch(/status=\\"[a-z]/);
  });

  it.each([
    ['temporal.external.address=no-port', "at '/temporal/external/address': 'no-port' does not match pattern"],
    ['workerGroups[0].replicas=-1', "at '/workerGroups/0/replicas': minimum: got -1, want 0"],
    ['controlPlane.logLevel=loud', "at '/controlPlane/logLevel': value must be one of"],
    ['controlPlane.replica=3', "at '/controlPlane': additional properties 'replica' not allowed"],
    [
      'containerSecurityContext.allowPrivilegeEscalation=true',
      "at '/containerSecurityContext/allowPrivilegeEscalation'",
    ],
    ['podSecurityContext.runAsNonRoot=false', "at '/podSecurityContext/runAsNonRoot'"],
    ['postgresql.external.url=mysql://x', "at '/postgresql/external/url'"],
    ['secrets.workerToken=short', "at '/secrets/workerToken'"],
    ['controlPlane.taskQueue=elsewhere', 'controlPlane.taskQueue "elsewhere": no worker group polls it'],
    ['secrets.encryptionKey=' + 'A'.repeat(43) + '=', 'secrets: give all four of runSigningPrivateKey'],
    ['credentials.backend=vault', 'credentials.vault.address is required when credentials.backend is vault'],
    ['workerGroups[0].name=Bad_Name', "at '/workerGroups/0/name'"],
  ])('refuses %s with a message', async (pair, message) => {
    const result = await template({ set: [pair] });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  });

  it('refuses two worker groups with one name', async () => {
    const result = await template({ files: ['examples/keda-autoscaling.yaml'], set: ['workerGroups[1].name=default'] });
    expect(result.stderr).toContain('workerGroups: two groups are named "default"');
  });

  it("has a README values table that agrees with the schema and values.yaml's defaults", () => {
    expect(readmeRows(readFileSync(join(CHART, 'README.md'), 'utf8'))).toEqual(valuesRows());
  });

  it.each(['control-plane', 'workers'])(
    'has a %s Dockerfile that passes hadolint, on Node 24, as a non-root user',
    async (pkg) => {
      const file = join(CHART, '..', '..', pkg, 'Dockerfile');
      const result = await run(tool('FF_HADOLINT'), [file]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const text = readFileSync(file, 'utf8');
      expect(text.match(/^FROM node:24-/gm)?.length).toBe(2);
      expect(text).toMatch(/^USER 10001:10001$/m);
      expect(text).toContain('--prod');
    },
  );
});
