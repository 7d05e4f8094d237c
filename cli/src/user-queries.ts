import { FlowForgeError, z } from '@flowforge/connectors-sdk';

/** The GraphQL operations of `flowforge users ...`, with the shape their answers must have. */
const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  roles: z.array(z.string()),
  signIn: z.array(z.string()),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserJson = z.infer<typeof UserSchema>;
const USER_FIELDS = 'id email name roles signIn createdAt lastLoginAt';

export const CREATE_USER = {
  query: `mutation ($email: String!, $name: String, $password: String) {
    createUser(email: $email, name: $name, password: $password) { ${USER_FIELDS} }
  }`,
  schema: z.object({ createUser: UserSchema }),
};

export const LIST_USERS = {
  query: `{ users { ${USER_FIELDS} } }`,
  schema: z.object({ users: z.array(UserSchema) }),
};

/** The password from standard input: everything up to the end, less one trailing newline (`echo` adds it). */
export async function readPasswordFromStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stdin.isTTY) process.stderr.write('type the password, then press Ctrl-D on a new line\n');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (password === '') {
    throw new FlowForgeError('FF_BAD_INPUT', '--password-stdin: standard input is empty', {
      hint: 'pipe the password in: printf %s "$PASSWORD" | flowforge users create <email> --password-stdin',
    });
  }
  return password;
}
