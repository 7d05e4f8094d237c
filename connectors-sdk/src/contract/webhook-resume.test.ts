import { describe, expect, it } from 'vitest';
import { resumeItems } from './webhook-resume.ts';

describe('resumeItems (a resume POST body as output items)', () => {
  it('an object is one item', () => {
    expect(resumeItems({ ok: true })).toEqual([{ json: { ok: true } }]);
  });
  it('an array is one item per element, non-objects as { value }', () => {
    expect(resumeItems([{ a: 1 }, 2, [3]])).toEqual([
      { json: { a: 1 } },
      { json: { value: 2 } },
      { json: { value: [3] } },
    ]);
  });
  it('text, a number or null is one item { body }; no body is one empty item', () => {
    expect(resumeItems('hi')).toEqual([{ json: { body: 'hi' } }]);
    expect(resumeItems(null)).toEqual([{ json: { body: null } }]);
    expect(resumeItems(undefined)).toEqual([{ json: {} }]);
  });
});
