import { DotPathSchema } from '@flowforge/connectors-sdk/builtin';
import { describe, expect, it } from 'vitest';
import { getPath, setPath } from './dot-path.ts';

describe('dot paths', () => {
  it('reads nested fields and array elements, and undefined for missing steps', () => {
    const value = { a: { b: [{ c: 1 }] } };
    expect(getPath(value, 'a.b.0.c')).toBe(1);
    expect(getPath(value, 'a.x.c')).toBeUndefined();
    expect(getPath(value, 'a.b.0.c.d')).toBeUndefined();
  });

  it('does not read inherited properties such as toString', () => {
    expect(getPath({}, 'toString')).toBeUndefined();
  });

  it('sets a nested field on a copy, creating objects and leaving the input unchanged', () => {
    const input = { a: { keep: true }, list: [1, 2] };
    const output = setPath(input, 'a.b.c', 3);
    expect(output).toEqual({ a: { keep: true, b: { c: 3 } }, list: [1, 2] });
    expect(input).toEqual({ a: { keep: true }, list: [1, 2] });
    expect(setPath(input, 'list.1', 9).list).toEqual([1, 9]);
    expect(setPath({ a: 'text' }, 'a.b', 1)).toEqual({ a: { b: 1 } });
  });

  it('rejects empty segments and prototype keys', () => {
    expect(DotPathSchema.safeParse('a.b').success).toBe(true);
    expect(DotPathSchema.safeParse('a..b').success).toBe(false);
    expect(DotPathSchema.safeParse('__proto__.polluted').success).toBe(false);
    expect(DotPathSchema.safeParse('a.constructor').success).toBe(false);
    expect(DotPathSchema.safeParse('').success).toBe(false);
  });
});
