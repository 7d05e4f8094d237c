import { jsonOf, runNodeForTest } from '@flowforge/connectors-sdk/testing';
import { describe, expect, it } from 'vitest';
import { coreSet } from './core-set.ts';

describe('core.set', () => {
  it('sets dot paths on a copy of each item, creating nested objects', async () => {
    const result = await runNodeForTest(coreSet, {
      params: { values: { 'a.b': 2, route: 'auto' } },
      items: [{ x: 1, a: { c: 3 } }, { x: 2 }],
    });
    expect(jsonOf(result)).toEqual([
      { x: 1, a: { c: 3, b: 2 }, route: 'auto' },
      { x: 2, a: { b: 2 }, route: 'auto' },
    ]);
  });

  it('evaluates expression values per item', async () => {
    const result = await runNodeForTest(coreSet, {
      params: { values: { 'a.b': '={{ $json.x + 1 }}', greeting: '=Hello, {{ $json.name }}!' } },
      items: [
        { x: 1, name: 'Ada' },
        { x: 10, name: 'Linus' },
      ],
    });
    expect(jsonOf(result)).toEqual([
      { x: 1, name: 'Ada', a: { b: 2 }, greeting: 'Hello, Ada!' },
      { x: 10, name: 'Linus', a: { b: 11 }, greeting: 'Hello, Linus!' },
    ]);
  });

  it('keeps only the set fields with keepOnlySet', async () => {
    const result = await runNodeForTest(coreSet, {
      params: { values: { 'out.id': 7 }, keepOnlySet: true },
      items: [{ secret: 'x' }],
    });
    expect(jsonOf(result)).toEqual([{ out: { id: 7 } }]);
  });

  it('keeps binary data on the items it changes', async () => {
    const binary = { file: { data: 'aGk=', mimeType: 'text/plain' } };
    const result = await runNodeForTest(coreSet, { params: { values: { a: 1 } }, items: [{ json: {}, binary }] });
    expect(result.outputs.main?.[0]?.binary).toEqual(binary);
  });

  it('rejects a path that would reach the object prototype', async () => {
    await expect(
      runNodeForTest(coreSet, { params: { values: { '__proto__.polluted': 1 } }, items: [{}] }),
    ).rejects.toMatchObject({ code: 'FF_INVALID_PARAMS' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
