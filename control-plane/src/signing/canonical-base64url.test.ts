import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCanonicalBase64url } from './canonical-base64url.ts';

describe('decodeCanonicalBase64url', () => {
  it('decodes the canonical text of any byte string', () => {
    for (const length of [0, 1, 2, 3, 32, 64, 65]) {
      const bytes = randomBytes(length);
      expect(decodeCanonicalBase64url(bytes.toString('base64url'))).toEqual(bytes);
    }
  });

  it('refuses padding, characters outside the alphabet and stray low bits that Node would accept', () => {
    const canonical = Buffer.from('signature bytes!').toString('base64url'); // 16 bytes: 22 characters, 4 unused bits
    expect(Buffer.from(`${canonical}==`, 'base64url')).toEqual(Buffer.from(`${canonical}`, 'base64url'));
    expect(decodeCanonicalBase64url(`${canonical}==`)).toBeUndefined();
    expect(decodeCanonicalBase64url(`${canonical.slice(0, 5)}*${canonical.slice(5)}`)).toBeUndefined();
    expect(decodeCanonicalBase64url(`${canonical.slice(0, 5)}+${canonical.slice(5)}`)).toBeUndefined();
    const last = canonical.at(-1) as string;
    const neighbour = String.fromCharCode(last.charCodeAt(0) + 1);
    const altered = `${canonical.slice(0, -1)}${neighbour}`;
    expect(Buffer.from(altered, 'base64url')).toEqual(Buffer.from(canonical, 'base64url'));
    expect(decodeCanonicalBase64url(altered)).toBeUndefined();
  });
});
