import type { KeyObject } from 'node:crypto';
import type { NodeRegistry } from '@flowforge/connectors-sdk';
import type { Client } from '@temporalio/client';
import type { Principal } from '../auth/api-keys.ts';
import type { PrismaClient } from '../database.ts';

/** What resolvers work with: built once per app. */
export interface ControlPlaneServices {
  prisma: PrismaClient;
  temporal: Client;
  registry: NodeRegistry;
  projectId: string;
  taskQueue: string;
  signingKey: KeyObject;
}

declare module 'mercurius' {
  interface MercuriusContext {
    /** The authenticated caller; every GraphQL request has one (see app.ts). */
    principal: Principal;
    services: ControlPlaneServices;
  }
}
