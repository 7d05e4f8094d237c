import type { KeyObject } from 'node:crypto';
import type { DescriptorRegistry } from '@flowforge/connectors-sdk';
import type { Client } from '@temporalio/client';
import type { Principal } from '../auth/api-keys.ts';
import type { PrismaClient } from '../database.ts';
import type { WebhookRouter } from '../webhooks/webhook-router.ts';
import type { ScheduleSync } from '../workflows/activation.ts';

/** What resolvers work with: built once per app. */
export interface ControlPlaneServices {
  prisma: PrismaClient;
  temporal: Client;
  /** The node types workflows are validated against. */
  registry: DescriptorRegistry;
  projectId: string;
  taskQueue: string;
  signingKey: KeyObject;
  /** The active webhook routes, in memory: activation tells it to read them again. */
  webhooks: WebhookRouter;
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
