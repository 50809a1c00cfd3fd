import { FLOAT4_MAX, MAX_JSON_DEPTH, findUnstorableText, fitsFloat4, isStorableText, jsonDepth, textSchema } from './text';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

describe('isStorableText', () => {
  it('accepts ordinary text, emoji (paired surrogates) included', () => {
    expect(isStorableText('hello wörld 😀')).toBe(true);
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['a lone high surrogate', 'a\uD83Db'],
    ['a lone high surrogate at the end', 'ab\uD83D'],
    ['a lone low surrogate', 'a\uDE00b'],
    ['two low surrogates', '\uDE00\uDE00'],
  ])('rejects %s', (_what, text) => {
    expect(isStorableText(text)).toBe(false);
  });
});

describe('textSchema', () => {
  it('names the rule in its issue and keeps the other checks', () => {
    const schema = textSchema().trim().min(1).max(5);
    expect(schema.safeParse('a\u0000').error?.issues[0].message).toBe('must not contain U+0000 (NUL) or unpaired surrogates');
    expect(schema.safeParse(' ok ').data).toBe('ok');
    expect(schema.safeParse('toolong').success).toBe(false);
  });
});

describe('jsonDepth', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(jsonDepth('x')).toBe(0);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth({ a: [1, { b: 2 }] })).toBe(3);
    expect(jsonDepth(nested(10))).toBe(10);
  });

  it('stops past the limit, without overflowing the stack at 100,000 levels', () => {
    expect(jsonDepth(nested(MAX_JSON_DEPTH))).toBe(MAX_JSON_DEPTH);
    expect(jsonDepth(nested(100_000))).toBe(MAX_JSON_DEPTH + 1);
    expect(jsonDepth(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)), 10)).toBe(11);
  });
});

describe('findUnstorableText', () => {
  it('finds the first bad value or key, with its path', () => {
    expect(findUnstorableText({ a: ['ok', { b: 'x\u0000' }] })).toEqual(['a', 1, 'b']);
    expect(findUnstorableText({ a: { 'k\uD800': 1 } })).toEqual(['a', 'k\uD800']);
    expect(findUnstorableText({ a: ['ok', 1, null, true] })).toBeNull();
  });
});

describe('fitsFloat4', () => {
  it('accepts the float4 range and rejects what PostgreSQL would overflow', () => {
    expect(fitsFloat4(FLOAT4_MAX)).toBe(true);
    expect(fitsFloat4(-1e-300)).toBe(true);
    expect(fitsFloat4(1e39)).toBe(false);
    expect(fitsFloat4(-1e300)).toBe(false);
    expect(fitsFloat4(Number.POSITIVE_INFINITY)).toBe(false);
    expect(fitsFloat4(Number.NaN)).toBe(false);
  });
});
