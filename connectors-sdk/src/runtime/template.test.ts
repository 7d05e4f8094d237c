import { describe, expect, it } from 'vitest';
import { FlowForgeError } from '../errors.ts';
import { checkExpressions, collectTemplates } from './param-templates.ts';
import { parseTemplate } from './template.ts';

function parseError(value: string): FlowForgeError {
  try {
    parseTemplate(value);
  } catch (error) {
    expect(error).toBeInstanceOf(FlowForgeError);
    return error as FlowForgeError;
  }
  throw new Error(`expected ${value} not to parse`);
}

describe('parseTemplate', () => {
  it('reads a lone expression as single, so its value keeps its type', () => {
    expect(parseTemplate('={{ $json.a }}')).toEqual({
      single: true,
      parts: [{ kind: 'expression', source: '$json.a', text: '{{ $json.a }}', column: 2 }],
    });
  });

  it('splits a mixed template into text and expressions', () => {
    const template = parseTemplate('=Hello {{ $json.name }}, you are {{$json.age}}!');
    expect(template.single).toBe(false);
    expect(template.parts).toEqual([
      { kind: 'text', text: 'Hello ' },
      { kind: 'expression', source: '$json.name', text: '{{ $json.name }}', column: 8 },
      { kind: 'text', text: ', you are ' },
      { kind: 'expression', source: '$json.age', text: '{{$json.age}}', column: 34 },
      { kind: 'text', text: '!' },
    ]);
  });

  it('treats text around a single expression as a mixed template', () => {
    expect(parseTemplate('= {{ 1 }}').single).toBe(false);
    expect(parseTemplate('={{ 1 }}{{ 2 }}').single).toBe(false);
  });

  it('does not end an expression at }} inside a string', () => {
    const [part] = parseTemplate('={{ "a}}b" + $json.x }}').parts;
    expect(part).toMatchObject({ kind: 'expression', source: '"a}}b" + $json.x' });
  });

  it('does not end an expression at }} that closes nested object literals', () => {
    const [part] = parseTemplate('={{ { a: { b: 1 }} }}').parts;
    expect(part).toMatchObject({ kind: 'expression', source: '{ a: { b: 1 }}' });
  });

  it('handles template literals and arrow functions with braces', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: this is JavaScript source with a template literal
    const source = '`x${ {a: 1}.a }` + [1].map((v) => { return v; })';
    const { parts } = parseTemplate(`={{ ${source} }}`);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ source });
  });

  it('keeps a string without {{ }} as plain text', () => {
    expect(parseTemplate('=just text')).toEqual({ single: false, parts: [{ kind: 'text', text: 'just text' }] });
  });

  it('reports a syntax error as FF_EXPRESSION with the column of the bad token', () => {
    const error = parseError('={{ $json.a + }}');
    expect(error.code).toBe('FF_EXPRESSION');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('syntax error at column 15 in the expression at column 2: Unexpected token');
  });

  it('reports an expression that is never closed', () => {
    expect(parseError('=a {{ 1 + 1').message).toBe(
      'the expression at column 4 is not closed: expected "}}" at column 12',
    );
  });

  it('reports two expressions in one segment (a missing }})', () => {
    expect(parseError('={{ a b }}').message).toMatch(
      /^the expression at column 2 is not closed: expected "}}" at column 7/,
    );
  });

  it('reports an empty expression', () => {
    expect(parseError('=x {{ }}').message).toBe('{{ }} is empty at column 4');
  });
});

describe('collectTemplates', () => {
  it('walks nested objects and arrays and skips literal params', () => {
    const templates = collectTemplates(
      {
        code: '={{ not evaluated }}',
        values: { greeting: '=Hi {{ $json.name }}', plain: 'x' },
        rules: [{ condition: '={{ $json.ok }}' }],
      },
      ['code'],
    );
    expect(templates.map((t) => t.path)).toEqual([
      ['values', 'greeting'],
      ['rules', 0, 'condition'],
    ]);
  });

  it('treats everything under a literal path as literal', () => {
    expect(collectTemplates({ options: { script: { body: '={{ x }}' } } }, ['options.script'])).toEqual([]);
  });

  it('names the parameter path when a template does not parse', () => {
    try {
      collectTemplates({ rules: [{ condition: '={{ ) }}' }] });
      expect.unreachable();
    } catch (error) {
      expect((error as FlowForgeError).path).toEqual(['params', 'rules', 0, 'condition']);
      expect((error as FlowForgeError).message).toMatch(/^parameter rules\[0\]\.condition: syntax error at column 5/);
    }
  });
});

describe('checkExpressions', () => {
  it('returns one issue per broken template and none for good ones', () => {
    const issues = checkExpressions(
      {
        ok: '={{ $json.a }}',
        bad: '={{ $json. }}',
        list: ['fine', '={{ 1 +'],
        code: '={{ ( }}',
      },
      ['code'],
    );
    expect(issues.map((issue) => [issue.code, issue.path])).toEqual([
      ['FF_EXPRESSION', ['params', 'bad']],
      ['FF_EXPRESSION', ['params', 'list', 1]],
    ]);
  });

  it('finds nothing wrong in literal params', () => {
    expect(checkExpressions({ n: 1, s: 'a {{ b', nested: { t: true } })).toEqual([]);
  });
});
