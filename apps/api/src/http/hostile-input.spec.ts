import { gzipSync } from 'node:zlib';
import { testEngineName } from '@mnemolite/db/testing';
import { createFullTestApp, type FullTestApp, type RawResponse } from '../testing/full-test-app';

const engine = testEngineName();
const JSON_HEADERS = { 'content-type': 'application/json' };

function nested(levels: number, leaf: string): string {
  return '{"a":'.repeat(levels) + leaf + '}'.repeat(levels);
}

function nestedArray(levels: number): string {
  return '['.repeat(levels) + '1' + ']'.repeat(levels);
}

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] | Record<string, unknown> };
}

function expectValidationError(res: RawResponse, field?: string | RegExp): ErrorBody {
  expect({ status: res.status, body: res.text.slice(0, 300) }).toEqual({ status: 400, body: expect.any(String) });
  const body = JSON.parse(res.text) as ErrorBody;
  expect(body.error.code).toBe('validation_error');
  if (field !== undefined) {
    const paths = Array.isArray(body.error.details) ? body.error.details.map((issue) => issue.path) : [];
    expect(paths).toContainEqual(typeof field === 'string' ? field : expect.stringMatching(field));
  }
  return body;
}

describe(`hostile input gets a 400 naming the field, never a 5xx (${engine})`, () => {
  let t: FullTestApp;
  const post = (path: string, body: string, headers: Record<string, string> = JSON_HEADERS) =>
    t.send({ method: 'POST', path, headers, body });

  beforeAll(async () => {
    t = await createFullTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe('JSON nesting deeper than 64 levels (MAX_JSON_DEPTH)', () => {
    it.each([
      ['content', '/v1/events', (deep: string) => `{"content":${deep}}`],
      ['metadata', '/v1/events', (deep: string) => `{"content":{"text":"x"},"metadata":${deep}}`],
      ['a search filter', '/v1/search', (deep: string) => `{"query":"x","metadata":${deep}}`],
      ['a batch', '/v1/events/batch', (deep: string) => `{"events":[{"content":${deep}}]}`],
      ['graph properties', '/v1/graph/nodes', (deep: string) => `{"type":"t","label":"l","properties":${deep}}`],
      ['a metadata patch', '/v1/events/00000000-0000-4000-8000-000000000000/metadata', (deep: string) => deep],
    ])('%s nested 10,000 levels is a 400 naming the limit', async (_what, path, wrap) => {
      const method = path.endsWith('/metadata') ? 'PATCH' : 'POST';
      for (const deep of [nested(10_000, '"x"'), nestedArray(10_000)]) {
        const res = await t.send({ method, path, headers: JSON_HEADERS, body: wrap(deep) });
        const body = expectValidationError(res, 'body');
        expect(body.error.message).toContain('64 levels (MAX_JSON_DEPTH)');
      }
    });

    it('accepts content nested up to the limit', async () => {
      // The body is one level, content the second: content may hold 62 more.
      const res = await post('/v1/events', `{"content":${nested(62, '"deep"')}}`);
      expect(res.status).toBe(201);
      expectValidationError(await post('/v1/events', `{"content":${nested(64, '"deep"')}}`));
    });

    it('a metadata filter in a query string nested 5,000 levels (what fits in 16 KiB of headers) is a 400', async () => {
      for (const path of ['/v1/events', '/v1/search']) {
        const res = await t.send({ method: 'GET', path: `${path}?metadata={"a":${nestedArray(5_000)}}` });
        expect(expectValidationError(res, 'metadata').error.details).toContainEqual({
          path: 'metadata',
          message: 'metadata nests deeper than the limit of 64 levels (MAX_JSON_DEPTH).',
        });
      }
    });
  });

  describe('NUL and unpaired surrogates', () => {
    const bad = [
      ['NUL', '"a\\u0000b"'],
      ['a lone high surrogate', '"a\\ud800b"'],
      ['a lone low surrogate', '"\\udc00"'],
    ];

    it.each(bad)('%s in a memory search query is a 400 naming "query"', async (_what, text) => {
      expectValidationError(await post('/v1/search', `{"query":${text}}`), 'query');
      const encoded = encodeURIComponent(JSON.parse(text.replace('\\ud800', '\\u0000').replace('\\udc00', '\\u0000')) as string);
      expectValidationError(await t.send({ method: 'GET', path: `/v1/search?query=${encoded}` }), 'query');
    });

    it.each(bad)('%s in a code search query, path prefix or symbol is a 400 naming the field', async (_what, text) => {
      expectValidationError(await post('/v1/code/search', `{"query":${text}}`), 'query');
      expectValidationError(await post('/v1/code/search', `{"query":"x","path_prefix":${text}}`), 'path_prefix');
      expectValidationError(await t.send({ method: 'GET', path: '/v1/code/graph/callers?repository=shop&symbol=a%00b' }), 'symbol');
    });

    it.each(bad)('%s in content, metadata keys or graph labels is a 400 naming the path', async (_what, text) => {
      expectValidationError(await post('/v1/events', `{"content":{"text":${text}}}`), 'content.text');
      expectValidationError(await post('/v1/events', `{"content":{"text":"x"},"metadata":{${text}:1}}`), /^metadata\./);
      expectValidationError(await post('/v1/graph/nodes', `{"type":"t","label":${text}}`), 'label');
    });

    it.each(bad.slice(1))('%s in uploaded code is a 400 naming the file', async (_what, text) => {
      const res = await post('/v1/code/index', `{"repository":"shop","files":[{"path":"a.ts","content":${text}}]}`);
      expectValidationError(res, 'files.0.content');
    });

    it('NUL in uploaded code marks the file binary: reported in errors, not indexed', async () => {
      const res = await post('/v1/code/index', '{"repository":"shop","files":[{"path":"a.bin","content":"a\\u0000b"}]}');
      expect(res.status).toBe(201);
      expect(JSON.parse(res.text)).toMatchObject({
        files_failed: 1,
        errors: [{ path: 'a.bin', error: expect.stringContaining('binary') }],
      });
    });

    it.each(bad)('%s in a commit or a file path is a 400 naming it', async (_what, text) => {
      expectValidationError(await post('/v1/code/index', `{"repository":"shop","files":[{"path":${text},"content":"x"}]}`), 'files.0.path');
      expectValidationError(
        await post('/v1/code/index', `{"repository":"shop","commit":${text},"files":[{"path":"a.ts","content":"x"}]}`),
        'commit',
      );
    });
  });

  describe('vectors', () => {
    const dims = (value: string) => `[${Array.from({ length: 768 }, (_, i) => (i === 0 ? value : '0.1')).join(',')}]`;

    it.each(['1e300', '-1e300', '3.5e38', '1e39'])('a value of %s (beyond float4) is a 400 naming its index', async (value) => {
      expectValidationError(await post('/v1/events', `{"content":{"text":"x"},"embedding":${dims(value)}}`), 'embedding.0');
      expectValidationError(await post('/v1/search', `{"vector":${dims(value)}}`), 'vector.0');
      expectValidationError(await t.send({ method: 'GET', path: `/v1/search?vector=${encodeURIComponent(dims(value))}` }), 'vector.0');
    });

    it('a non-finite value in a query string (1e999 parses to Infinity) is a 400', async () => {
      expectValidationError(await t.send({ method: 'GET', path: `/v1/search?vector=${encodeURIComponent(dims('1e999'))}` }), 'vector.0');
    });

    it('a vector that is zero once stored as float4 is a 400, the float4 maximum is accepted', async () => {
      expectValidationError(await post('/v1/search', `{"vector":[${Array(768).fill('1e-300').join(',')}]}`), 'vector');
      const res = await post('/v1/search', `{"vector":${dims('3.4028234663852886e38')}}`);
      expect(res.status).toBe(200);
    });
  });

  describe('undecodable bodies and paths', () => {
    it.each(['gzip', 'br', 'deflate'])('a body that is not the %s its Content-Encoding claims is a 400', async (encoding) => {
      const res = await post('/v1/events', '{"content":{"text":"plain"}}', { ...JSON_HEADERS, 'content-encoding': encoding });
      expect(expectValidationError(res, 'body').error.message).toContain(`Content-Encoding (${encoding})`);
    });

    it('a real gzip body is accepted', async () => {
      const body = gzipSync('{"content":{"text":"zipped"}}');
      const res = await t.send({ method: 'POST', path: '/v1/events', headers: { ...JSON_HEADERS, 'content-encoding': 'gzip' }, body });
      expect(res.status).toBe(201);
    });

    it('an unknown Content-Encoding is a 415', async () => {
      const res = await post('/v1/events', '{}', { ...JSON_HEADERS, 'content-encoding': 'zstd-ish' });
      expect(res.status).toBe(415);
    });

    it.each(['/v1/events/%E0%A4%A', '/v1/graph/nodes/%ZZ', '/v1/code/repositories/%C0%AF', '/v1/code/chunks/%'])(
      'a path with bad percent-encoding (%s) is a 400 naming the path',
      async (path) => {
        const method = path.startsWith('/v1/code/repositories') ? 'DELETE' : 'GET';
        const body = expectValidationError(await t.send({ method, path }), 'path');
        expect(body.error.message).toContain('percent-encoding');
      },
    );
  });

  describe('uploaded code paths and repository names', () => {
    const upload = (repository: string, path: string) =>
      post('/v1/code/index', JSON.stringify({ repository, files: [{ path, content: 'export const a = 1;\n' }] }));

    it.each([
      '/etc/passwd',
      '\\\\server\\share\\a.ts',
      'C:\\Windows\\a.ts',
      '../outside.ts',
      'src/../../outside.ts',
      'src/..',
      './a.ts',
      'src\\..\\..\\a.ts',
    ])('file path %j is a 400 naming it', async (path) => {
      expectValidationError(await upload('shop', path), 'files.0.path');
    });

    it.each([
      '../shop',
      '.hidden',
      '/shop',
      'shop/',
      'a//b',
      'a b',
      'shop\u0000',
      'shop\ud800',
      '<script>',
      'a/../b',
      '-',
      'x'.repeat(201),
    ])('repository name %j is a 400 naming it', async (repository) => {
      expectValidationError(await upload(repository, 'a.ts'), 'repository');
    });

    it('ordinary names and nested relative paths are accepted', async () => {
      const res = await upload('acme/shop-api_v2.1', 'src/lib/a..b.ts');
      expect(res.status).toBe(201);
    });

    it('odd repository names in query strings and paths are a 400 too', async () => {
      expectValidationError(await t.send({ method: 'GET', path: '/v1/code/chunks?repository=..%2F..' }), 'repository');
      expectValidationError(await t.send({ method: 'DELETE', path: '/v1/code/repositories/..' }), 'name');
    });
  });

  it('the process is still healthy after all of it', async () => {
    const res = await t.send({ method: 'GET', path: '/health' });
    expect(res.status).toBe(200);
  });
});
