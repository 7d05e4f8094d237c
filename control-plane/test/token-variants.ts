const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Altered forms of a `<payload>.<signature>` token that Node's lenient base64url decoder reads as
 * the same bytes (issue 12, item 7): padding appended, a character outside the alphabet inserted,
 * the last signature character swapped for the one that differs only in the unused low bit. Only
 * the token itself may verify.
 */
export function nonCanonicalForms(token: string): Record<string, string> {
  const [payload = '', signature = ''] = token.split('.');
  const last = ALPHABET.indexOf(signature.at(-1) ?? '');
  const forms = {
    '"==" appended': `${token}==`,
    'a "*" inserted into the signature': `${payload}.${signature.slice(0, 10)}*${signature.slice(10)}`,
    'a "*" inserted into the claims': `${payload.slice(0, 10)}*${payload.slice(10)}.${signature}`,
    'the last signature character changed': `${payload}.${signature.slice(0, -1)}${ALPHABET[last ^ 1]}`,
  };
  for (const [what, form] of Object.entries(forms)) {
    const [formPayload = '', formSignature = ''] = form.split('.');
    const same =
      Buffer.from(formPayload, 'base64url').equals(Buffer.from(payload, 'base64url')) &&
      Buffer.from(formSignature, 'base64url').equals(Buffer.from(signature, 'base64url'));
    // Else the test would prove nothing: the form must be one Node decodes to the very same bytes.
    if (!same) throw new Error(`${what} does not decode to the token's bytes`);
  }
  return forms;
}
