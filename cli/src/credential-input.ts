import { FlowForgeError } from '@flowforge/connectors-sdk';

/**
 * `credentials set` takes its value from standard input alone. A value on the command line stays in
 * the shell's history and shows in every `ps` on the machine; so this checks the arguments itself,
 * before oclif, whose errors quote the offending argument (which might be the secret).
 */
const VALUE_FLAGS = /^--?(value|data|secret|token|password|json-value|from-literal)(=|$)/i;

/** Throws FF_BAD_INPUT (exit 2) for anything but `<name> --type <type> [--json]`, without showing what it was. */
export function checkSetArguments(argv: readonly string[]): void {
  const usage = 'usage: flowforge credentials set <name> --type <type> [--json] < value.json';
  let positional = 0;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (VALUE_FLAGS.test(arg)) {
      throw new FlowForgeError(
        'FF_BAD_INPUT',
        'credentials set never takes the value from the command line (it would stay in your shell history and show in the process list)',
        { hint: `pipe the JSON value on standard input: ${usage.replace('usage: ', '')}` },
      );
    }
    if (arg === '--json') continue;
    if (arg === '--type' || arg === '-t') {
      index++;
      continue;
    }
    if (arg.startsWith('--type=')) continue;
    if (arg === '--help' || arg === '-h') continue;
    if (!arg.startsWith('-') && positional === 0) {
      positional++;
      continue;
    }
    throw new FlowForgeError(
      'FF_BAD_INPUT',
      `credentials set: argument ${index + 1} is not one it takes (not shown: it may be a secret)`,
      { hint: `${usage}; the value goes on standard input, never on the command line` },
    );
  }
}

/** Reads standard input to its end and parses it as the credential's JSON value; errors never quote it. */
export async function readCredentialValue(stdin: NodeJS.ReadStream = process.stdin): Promise<unknown> {
  if (stdin.isTTY) process.stderr.write('paste the JSON value, then press Ctrl-D on a new line\n');
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    throw new FlowForgeError('FF_BAD_INPUT', 'standard input is empty: the credential value is read from it', {
      hint: 'pipe the JSON value in: flowforge credentials set <name> --type <type> < value.json',
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    // JSON.parse's message quotes the text around the error: only its position may be shown.
    const position = /position (\d+)/.exec((cause as Error).message)?.[1];
    throw new FlowForgeError(
      'FF_BAD_INPUT',
      `standard input is not valid JSON${position ? ` (at character ${position})` : ''}`,
      { hint: 'the value is one JSON object, like {"token": "..."}; flowforge credentials set --help lists the types' },
    );
  }
}

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const TYPE = /^[a-z][a-zA-Z0-9]{1,63}$/;

/** The name and type, checked here so that a secret typed in their place is never echoed by the server. */
export function checkNameAndType(name: string, type: string | undefined): void {
  if (!NAME.test(name)) {
    throw new FlowForgeError('FF_BAD_INPUT', 'the credential name is not valid (not shown, in case it is a secret)', {
      path: ['name'],
      hint: 'a name is lower-case letters, digits, ".", "_" or "-" (at most 100), starting with a letter or digit',
    });
  }
  if (type !== undefined && !TYPE.test(type)) {
    throw new FlowForgeError('FF_BAD_INPUT', 'the --type value is not a credential type name (not shown)', {
      path: ['type'],
      hint: 'the types are httpHeaderAuth, httpBasicAuth, httpBearerAuth, oauth2ClientCredentials',
    });
  }
}
