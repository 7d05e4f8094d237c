import { paramsJsonSchema } from '@flowforge/connectors-sdk';
import type { IResolverObject, MercuriusContext } from 'mercurius';
import { deleteCredential, listCredentials, setCredential } from '../credentials/credential-service.ts';
import { rewrapCredentials, rotateEncryptionKey } from '../credentials/key-rotation.ts';

type Resolvers = IResolverObject<unknown, MercuriusContext>;

/**
 * Credentials (extends Query and Mutation). Values are write-only: `setCredential` takes one (send
 * it as a variable, never inline in the query text), and no field of any type returns one.
 */
export const credentialSchema = /* GraphQL */ `
  extend type Query {
    "The project's credentials, by name: never their values."
    credentials: [Credential!]!
    "The credential types a value may have, with the JSON Schema of their fields."
    credentialTypes: [CredentialType!]!
  }

  extend type Mutation {
    "Creates or replaces a credential. The value is checked against its type; it can never be read back."
    setCredential(name: String!, type: String!, value: JSON!): SetCredentialResult!
    deleteCredential(name: String!): Credential!
    "Starts a master key rotation: a new key (key file), or the first of FLOWFORGE_ENCRYPTION_KEY. Then call rewrapCredentials until remaining is 0."
    rotateEncryptionKey: KeyRotation!
    "Re-wraps up to limit (100) data keys with the current master key."
    rewrapCredentials(limit: Int): KeyRotation!
  }

  type Credential {
    name: String!
    type: String!
    createdAt: String!
    updatedAt: String!
  }

  type SetCredentialResult {
    credential: Credential!
    "False when a credential of that name was replaced."
    created: Boolean!
  }

  type CredentialType {
    type: String!
    displayName: String!
    description: String!
    "JSON Schema of the value."
    schema: JSON!
  }

  type KeyRotation {
    keyId: String!
    total: Int!
    remaining: Int!
    rewrapped: Int!
    retiredKeyIds: [String!]!
  }
`;

export const credentialResolvers: { Query: Resolvers; Mutation: Resolvers } = {
  Query: {
    credentials: (_root, _args, { services }) => listCredentials(services),
    credentialTypes: (_root, _args, { services }) =>
      [...services.credentials.types.values()].map((type) => ({
        type: type.type,
        displayName: type.displayName,
        description: type.description,
        schema: paramsJsonSchema({ params: type.schema }),
      })),
  },
  Mutation: {
    setCredential: (_root, args: { name: string; type: string; value: unknown }, { services, principal }) =>
      setCredential(services, args, principal.actor),
    deleteCredential: (_root, { name }: { name: string }, { services, principal }) =>
      deleteCredential(services, name, principal.actor),
    rotateEncryptionKey: (_root, _args, { services, principal }) => rotateEncryptionKey(services, principal.actor),
    rewrapCredentials: (_root, { limit }: { limit?: number | null }, { services, principal }) =>
      rewrapCredentials(services, limit, principal.actor),
  },
};
