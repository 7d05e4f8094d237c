import { z } from '@flowforge/connectors-sdk';
import { CredentialSummarySchema, KeyRotationSchema } from '@flowforge/connectors-sdk/contract';

/** The GraphQL operations of the credentials commands, with the shapes their answers must have. */
const SUMMARY_FIELDS = 'name type createdAt updatedAt';

export const SET_CREDENTIAL = {
  query: `mutation ($name: String!, $type: String!, $value: JSON!) {
    setCredential(name: $name, type: $type, value: $value) { created credential { ${SUMMARY_FIELDS} } }
  }`,
  schema: z.object({ setCredential: z.object({ created: z.boolean(), credential: CredentialSummarySchema }) }),
};

export const LIST_CREDENTIALS = {
  query: `{ credentials { ${SUMMARY_FIELDS} } }`,
  schema: z.object({ credentials: z.array(CredentialSummarySchema) }),
};

export const DELETE_CREDENTIAL = {
  query: `mutation ($name: String!) { deleteCredential(name: $name) { ${SUMMARY_FIELDS} } }`,
  schema: z.object({ deleteCredential: CredentialSummarySchema }),
};

const ROTATION_FIELDS = 'keyId total remaining rewrapped retiredKeyIds';

export const ROTATE_KEY = {
  query: `mutation { rotateEncryptionKey { ${ROTATION_FIELDS} } }`,
  schema: z.object({ rotateEncryptionKey: KeyRotationSchema }),
};

export const REWRAP = {
  query: `mutation ($limit: Int) { rewrapCredentials(limit: $limit) { ${ROTATION_FIELDS} } }`,
  schema: z.object({ rewrapCredentials: KeyRotationSchema }),
};
