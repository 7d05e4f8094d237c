import type { KeyObject } from 'node:crypto';
import type { DescriptorRegistry } from '@flowforge/connectors-sdk';
import type { ArtifactStore } from '@flowforge/connectors-sdk/artifacts';
import type { Client } from '@temporalio/client';
import type { Principal } from '../auth/api-keys.ts';
import type { CredentialServices } from '../credentials/credential-service.ts';
import type { PrismaClient } from '../database.ts';
import type { WorkerNodeTypes } from '../node-types/worker-node-types.ts';
import type { WebhookRouter } from '../webhooks/webhook-router.ts';
import type { ScheduleSync } from '../workflows/activation.ts';

/** What resolvers work with: built once per app. */
export interface ControlPlaneServices {
  prisma: PrismaClient;
  temporal: Client;
  /** The control plane's own node types (the built-in ones); workflows may also use what `nodeTypes` says the workers offer. */
  registry: DescriptorRegistry;
  /** What the workers of each task queue offer, asked through Temporal and cached for seconds. */
  nodeTypes: WorkerNodeTypes;
  projectId: string;
  taskQueue: string;
  signingKey: KeyObject;
  /** The active webhook routes, in memory: activation tells it to read them again. */
  webhooks: WebhookRouter;
  /** Shared with the workers: run inputs too big for Temporal history (big webhook bodies). */
  artifacts: ArtifactStore;
  /** The secrets backend, the credential types and the worker token. */
  credentials: CredentialServices;
  /** The Temporal Schedules of schedule triggers: activation creates, updates and deletes them. */
  schedules: ScheduleSync;
}

declare module 'mercurius' {
  interface MercuriusContext {
    /** The authenticated caller; every GraphQL request has one (see app.ts). */
    principal: Principal;
    services: ControlPlaneServices;
  }
}
