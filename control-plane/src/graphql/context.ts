import type { KeyObject } from 'node:crypto';
import type { DescriptorRegistry } from '@flowforge/connectors-sdk';
import type { Client } from '@temporalio/client';
import type { Principal } from '../auth/api-keys.ts';
import type { CredentialServices } from '../credentials/credential-service.ts';
import type { PrismaClient } from '../database.ts';

/** What resolvers work with: built once per app. */
export interface ControlPlaneServices {
  prisma: PrismaClient;
  temporal: Client;
  /** The node types workflows are validated against. */
  registry: DescriptorRegistry;
  projectId: string;
  taskQueue: string;
  signingKey: KeyObject;
  /** The secrets backend, the credential types and the worker token. */
  credentials: CredentialServices;
}

declare module 'mercurius' {
  interface MercuriusContext {
    /** The authenticated caller; every GraphQL request has one (see app.ts). */
    principal: Principal;
    services: ControlPlaneServices;
  }
}
