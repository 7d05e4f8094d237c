import { FlowForgeError } from '@flowforge/connectors-sdk';
import type { IResolvers, MercuriusContext } from 'mercurius';
import { recordAudit } from '../../audit.ts';
import { createUser, listUsers } from './user-service.ts';

/** Added to the schema with mercurius' extendSchema, so the users area stays in this folder. */
export const userSchema = `
  type User {
    id: ID!
    email: String!
    name: String
    """Workspace roles until projects bring per-project ones."""
    roles: [String!]!
    """How the user can sign in: password, oidc."""
    signIn: [String!]!
    createdAt: String!
    lastLoginAt: String
  }
  extend type Query {
    """Every user (admin role)."""
    users: [User!]!
  }
  extend type Mutation {
    """A local user (admin role); with a password (argon2id) they can sign in at POST /auth/login."""
    createUser(email: String!, name: String, password: String): User!
  }
`;

/** Managing users needs the admin role (the local admin key has it; an OIDC group can map to it). */
function requireAdmin(context: MercuriusContext): void {
  if (!context.principal.roles.includes('admin')) {
    throw new FlowForgeError(
      'FF_FORBIDDEN',
      `${context.principal.actor} may not manage users: that needs the admin role`,
      {
        hint: 'use an API key with the admin role (the local admin key in cli-config.json has it)',
      },
    );
  }
}

export const userResolvers: IResolvers = {
  Query: {
    users: async (_root, _args, context) => {
      requireAdmin(context);
      return listUsers(context.services.prisma);
    },
  },
  Mutation: {
    createUser: async (_root, args: { email: string; name?: string | null; password?: string | null }, context) => {
      requireAdmin(context);
      const { prisma } = context.services;
      const user = await createUser(prisma, args);
      await recordAudit(prisma, {
        actor: context.principal.actor,
        action: 'user.create',
        target: `user:${user.email}`,
        data: { withPassword: Boolean(args.password) },
      });
      return user;
    },
  },
};
