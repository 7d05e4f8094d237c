/**
 * The bytes of a base64url text only when the text is their canonical encoding: the URL alphabet,
 * no padding, no unused low bits set in the last character. Node's decoder skips characters outside
 * the alphabet, accepts `=` padding and ignores those low bits, so `<token>==`, a `*` inserted, or a
 * last signature character changed to its neighbour decoded to the same bytes, and a link that had
 * been altered still verified. Re-encoding and comparing leaves exactly one text per byte string.
 */
export function decodeCanonicalBase64url(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : undefined;
}
