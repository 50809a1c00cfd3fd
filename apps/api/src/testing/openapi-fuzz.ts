import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { RawRequest } from './full-test-app';

/**
 * Malformed requests generated from the app's own OpenAPI document: for every operation, its path,
 * query parameters and JSON body, each either close to valid (so validation runs deep and some requests
 * reach the database) or hostile (wrong types, NUL and lone surrogates, float4 overflow, deep nesting,
 * bad percent-encoding, garbage bytes, wrong or lying headers).
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
};

interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface FuzzOperation {
  method: string;
  path: string;
  family: string;
  request: fc.Arbitrary<FuzzRequest>;
}

/** A generated request, with the operation it was made for; fast-check prints it in one short line. */
export interface FuzzRequest extends RawRequest {
  operation: string;
}

/** One line per request: fast-check's counterexamples would otherwise print bodies byte by byte. */
export function describeRequest(req: RawRequest): string {
  const body =
    req.body === undefined ? '' : ` body(${Buffer.byteLength(req.body)} B): ${Buffer.from(req.body).toString('utf8').slice(0, 300)}`;
  return `${req.method} ${req.path.slice(0, 300)} ${JSON.stringify(req.headers ?? {})}${body}`;
}

/** Known values that make some requests reach real rows (ids and names seeded by the test). */
export interface FuzzSeeds {
  ids: string[];
  repositories: string[];
  words: string[];
}

/** JSON text inserted verbatim where this marker appears in a generated value. */
class RawJson {
  constructor(readonly text: string) {}
}

function deep(levels: number, kind: 'object' | 'array', leaf = '1'): RawJson {
  return kind === 'array'
    ? new RawJson('['.repeat(levels) + leaf + ']'.repeat(levels))
    : new RawJson('{"a":'.repeat(levels) + leaf + '}'.repeat(levels));
}

const MARK = '\u0001RAW';

/** JSON.stringify, except that RawJson markers become their text (deep nesting, 1e999, ...). */
export function serialize(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof RawJson) {
      raws.push(item.text);
      return `${MARK}${raws.length - 1}`;
    }
    return item;
  });
  if (text === undefined) return 'null';
  return text.replace(/"\\u0001RAW(\d+)"/g, (_match, index: string) => raws[Number(index)]);
}

/** Percent-encodes the UTF-8 bytes of `text` (lone surrogates become U+FFFD, as any client sends them). */
function encode(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'), (byte) =>
    /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
}

/** Fragments that are not valid percent-encoding, or decode to something awkward, sent verbatim. */
const RAW_URL_FRAGMENTS = [
  '%',
  '%Z',
  '%ZZ',
  '%E0%A4%A',
  '%C0%AF',
  '%ED%A0%80',
  '%FF%FE',
  '%00',
  '%2e%2e',
  '..',
  '%2F',
  '+',
  '%25',
  '%u0041',
];

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

const SPECIAL_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  'x\uDBFFy',
  '\uFEFF',
  '\u202E',
  '../../etc/passwd',
  '/etc/passwd',
  'C:\\Windows',
  '..',
  '.',
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  '$$; select pg_sleep(10); $$',
  '%s%s%n',
  '${jndi:ldap://x}',
  '__proto__',
  'constructor',
  '{"$gt": ""}',
  '<script>alert(1)</script>',
  '"quoted phrase" -minus OR',
  '!!!&&&|||:*',
  'NaN',
  'Infinity',
  '1e999',
  '-1',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'x'.repeat(20_000),
];

function hostileString(seeds: FuzzSeeds): fc.Arbitrary<string> {
  return fc.oneof(
    // NUL and lone surrogates weigh most: PostgreSQL cannot store either.
    { weight: 3, arbitrary: fc.constantFrom(...SPECIAL_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.string({ maxLength: 10 }), loneSurrogate, fc.string({ maxLength: 10 })).map((parts) => parts.join('')),
    },
    { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...seeds.words), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}`) },
    { weight: 1, arbitrary: fc.constantFrom(...seeds.words, ...seeds.repositories, ...seeds.ids) },
  );
}

const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(1e300, -1e300, 3.5e38, -3.5e38, 1e39, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53 + 2, -(2 ** 63), 0, -0, 0.5, -1, 1e-45),
  fc.constantFrom(
    new RawJson('1e999'),
    new RawJson('-1e999'),
    new RawJson('1e-999'),
    new RawJson('123456789012345678901234567890'),
    new RawJson('-0.0e-0'),
  ),
  fc.double(),
  fc.integer(),
);

/** Any JSON value, small, with hostile leaves and keys, sometimes nested far too deep. */
function hostileJson(seeds: FuzzSeeds): fc.Arbitrary<unknown> {
  const key = fc.oneof(fc.string({ maxLength: 8 }), hostileString(seeds));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileString(seeds),
      hostileNumber,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 3 }),
    ),
  }));
  return fc.oneof(
    { weight: 8, arbitrary: value },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 60, max: 10_000 }), fc.constantFrom('object' as const, 'array' as const))
        .map(([levels, kind]) => deep(levels, kind)),
    },
  );
}

function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  let current = schema ?? {};
  for (let hops = 0; current.$ref && hops < 10; hops++) {
    const name = current.$ref.replace('#/components/schemas/', '');
    current = doc.components?.schemas?.[name] ?? {};
  }
  return current;
}

function mainType(schema: Schema): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type.filter((type) => type !== 'null') : schema.type ? [schema.type] : [];
  if (types.length > 0) return types[0];
  if (schema.properties || schema.additionalProperties !== undefined) return 'object';
  return undefined;
}

function patternString(pattern: string): fc.Arbitrary<string> {
  try {
    return fc.stringMatching(new RegExp(pattern)).map((text) => text.slice(0, 300));
  } catch {
    return fc.string({ maxLength: 30 });
  }
}

/**
 * A value for `schema`: valid except at one point (a field, an element, a leaf, deep or shallow), or
 * entirely valid, or entirely hostile. One bad point at a time keeps the rest valid, so the request
 * gets past every other check to the one that must catch it (or reaches the database).
 */
function valueFor(doc: OpenApiDocument, input: Schema | undefined, seeds: FuzzSeeds, name: string, level = 0): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 2, arbitrary: validFor(doc, input, seeds, name) },
    { weight: 6, arbitrary: mutatedFor(doc, input, seeds, name, level) },
    { weight: 1, arbitrary: hostileJson(seeds) },
  );
}

function variantsOf(schema: Schema): Schema[] | undefined {
  const variants = schema.anyOf ?? schema.oneOf;
  return variants && variants.length > 0 ? variants : undefined;
}

/** A value the schema accepts (as far as the document says: the service may still refuse it). */
function validFor(doc: OpenApiDocument, input: Schema | undefined, seeds: FuzzSeeds, name: string): fc.Arbitrary<unknown> {
  const schema = resolve(doc, input);
  const variants = variantsOf(schema);
  if (variants) return fc.oneof(...variants.map((variant) => validFor(doc, variant, seeds, name)));
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const words = fc.array(fc.constantFrom(...seeds.words), { minLength: 1, maxLength: 4 }).map((list) => list.join(' '));
  switch (mainType(schema)) {
    case 'object': {
      if (!schema.properties)
        return fc.dictionary(fc.constantFrom('text', 'tag', 'kind', 'n'), fc.oneof(words, fc.integer({ min: 0, max: 9 })), {
          minKeys: 1,
          maxKeys: 3,
        });
      const required = new Set(schema.required ?? []);
      const fields = Object.entries(schema.properties).map(([key, property]) =>
        fc
          .tuple(fc.constant(key), fc.boolean(), validFor(doc, property, seeds, key))
          .map(([field, keep, value]) => (keep || required.has(field) ? [field, value] : null)),
      );
      return fc
        .tuple(...fields)
        .map((entries) => Object.fromEntries(entries.filter((entry): entry is [string, unknown] => entry !== null)));
    }
    case 'array': {
      const items = resolve(doc, schema.items);
      if (mainType(items) === 'number') return fc.constant(Array.from({ length: 768 }, (_, i) => Math.sin(i + 1)));
      return fc.array(validFor(doc, items, seeds, name), { minLength: Math.max(1, schema.minLength ?? 1), maxLength: 2 });
    }
    case 'integer':
    case 'number':
      return fc.integer({ min: Math.ceil(Math.max(schema.minimum ?? 0, -1e6)), max: Math.floor(Math.min(schema.maximum ?? 100, 100)) });
    case 'boolean':
      return fc.boolean();
    case 'string': {
      if (schema.format === 'date-time')
        return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
      if (schema.format === 'uuid' || /(^|_)id$|^(from|to|source|target)$/.test(name))
        return fc.oneof(fc.uuid(), fc.constantFrom(...seeds.ids));
      if (/repository|^name$/.test(name)) return fc.constantFrom(...seeds.repositories);
      if (schema.pattern) return patternString(schema.pattern);
      if (name === 'path') return fc.constantFrom('src/users.ts', 'lib/a.py', 'main.go');
      if (name === 'metadata') return fc.constantFrom('{"tag":"fuzz"}', '{}');
      if (name === 'vector') return fc.constant(JSON.stringify(Array.from({ length: 768 }, (_, i) => Math.cos(i))));
      return words;
    }
    default:
      return words;
  }
}

/** Valid everywhere but at one point, which is hostile in a way that fits its place. */
function mutatedFor(doc: OpenApiDocument, input: Schema | undefined, seeds: FuzzSeeds, name: string, level: number): fc.Arbitrary<unknown> {
  const schema = resolve(doc, input);
  const variants = variantsOf(schema);
  if (variants) return fc.oneof(...variants.map((variant) => mutatedFor(doc, variant, seeds, name, level)));
  switch (mainType(schema)) {
    case 'object': {
      if (!schema.properties || level > 4) return fc.oneof(hostileJson(seeds), hostileObject(seeds));
      const keys = Object.keys(schema.properties);
      const properties = schema.properties;
      return fc.tuple(validFor(doc, schema, seeds, name), fc.integer({ min: 0, max: keys.length + 1 })).chain(([base, index]) => {
        const object = base as Record<string, unknown>;
        if (index === keys.length) {
          // An unknown key, hostile itself.
          return fc.tuple(hostileString(seeds), hostileJson(seeds)).map(([key, value]) => withKey(object, key, value));
        }
        if (index === keys.length + 1) {
          // A required field missing.
          const required = schema.required ?? [];
          return required.length === 0 ? fc.constant(object) : fc.constantFrom(...required).map((key) => withoutKey(object, key));
        }
        const key = keys[index];
        return mutatedFor(doc, properties[key], seeds, key, level + 1).map((value) => withKey(object, key, value));
      });
    }
    case 'array': {
      const items = resolve(doc, schema.items);
      if (mainType(items) === 'number') return vector(seeds);
      return fc.oneof(
        fc
          .tuple(fc.array(validFor(doc, items, seeds, name), { maxLength: 2 }), mutatedFor(doc, items, seeds, name, level + 1))
          .map(([list, bad]) => [...list, bad]),
        fc.constant([]),
        hostileJson(seeds),
      );
    }
    case 'integer':
    case 'number':
      return fc.oneof(hostileNumber, fc.constantFrom((schema.minimum ?? 0) - 1, (schema.maximum ?? 0) + 1, 1.5, '7', true, null));
    case 'boolean':
      return fc.constantFrom('true', 1, 'yes', null, {});
    case 'string':
      return fc.oneof(
        { weight: 4, arbitrary: hostileString(seeds) },
        { weight: 1, arbitrary: stringFor(schema, seeds) },
        { weight: 1, arbitrary: hostileJson(seeds) },
      );
    default:
      return hostileJson(seeds);
  }
}

function withKey(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...object };
  // defineProperty: `__proto__` as a key must become an own property, as JSON.parse makes it.
  Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
  return copy;
}

function withoutKey(object: Record<string, unknown>, key: string): Record<string, unknown> {
  const copy = { ...object };
  delete copy[key];
  return copy;
}

function hostileObject(seeds: FuzzSeeds): fc.Arbitrary<unknown> {
  return fc.dictionary(hostileString(seeds), hostileJson(seeds), { minKeys: 1, maxKeys: 3 });
}

/** Strings a format or pattern refuses. */
function stringFor(schema: Schema, seeds: FuzzSeeds): fc.Arbitrary<string> {
  if (schema.format === 'date-time') {
    return fc.constantFrom(
      '2026-13-45T99:99:99Z',
      '2026-01-01T00:00:00',
      '0000-00-00T00:00:00Z',
      '+275760-09-13T00:00:00.000Z',
      '2026-01-01T00:00:00.000+25:00',
      '-271821-04-20T00:00:00Z',
    );
  }
  if (schema.maxLength !== undefined) return fc.constant('y'.repeat(schema.maxLength + 1));
  return hostileString(seeds);
}

/** Vectors: the right length with one hostile value, or wrong lengths. */
function vector(seeds: FuzzSeeds): fc.Arbitrary<unknown> {
  const right = fc
    .tuple(fc.integer({ min: 0, max: 767 }), hostileNumber, fc.double({ min: -1, max: 1, noNaN: true }))
    .map(([index, bad, fill]) => Array.from({ length: 768 }, (_, i) => (i === index ? bad : fill)));
  return fc.oneof(
    { weight: 3, arbitrary: right },
    { weight: 1, arbitrary: fc.constant(Array.from({ length: 768 }, () => 1e-300)) },
    { weight: 1, arbitrary: fc.array(hostileNumber, { maxLength: 5 }) },
    { weight: 1, arbitrary: hostileJson(seeds) },
  );
}

/** A body as bytes, with the headers that go with it (some of them lying). */
function bodyFor(
  doc: OpenApiDocument,
  schema: Schema | undefined,
  seeds: FuzzSeeds,
): fc.Arbitrary<{ body?: Buffer; headers: Record<string, string> }> {
  const json = schema ? valueFor(doc, schema, seeds, 'body') : hostileJson(seeds);
  const text = fc.oneof(
    { weight: 10, arbitrary: json.map(serialize) },
    {
      weight: 1,
      arbitrary: json.map(serialize).chain((full) => fc.nat({ max: Math.max(0, full.length - 1) }).map((cut) => full.slice(0, cut))),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '',
        '{',
        '[',
        '{"a":}',
        'nul',
        '\uFEFF{}',
        '{"a":1}{"b":2}',
        '"\\ud800"',
        '"\\u0000"',
        "{'a':1}",
        '{"a":1,}',
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 100, max: 20_000 }), fc.constantFrom('object' as const, 'array' as const))
        .map(([levels, kind]) => deep(levels, kind).text),
    },
  );
  const garbage = fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes));
  const bytes = fc.oneof({ weight: 12, arbitrary: text.map((body) => Buffer.from(body, 'utf8')) }, { weight: 1, arbitrary: garbage });
  const contentType = fc.oneof(
    { weight: 12, arbitrary: fc.constant('application/json') },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'application/json; charset=latin1',
        'application/json; charset=utf-16',
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/*',
        '',
      ),
    },
  );
  const encoding = fc.oneof(
    { weight: 12, arbitrary: fc.constant('none') },
    { weight: 2, arbitrary: fc.constantFrom('gzip-real', 'gzip', 'br', 'deflate', 'identity', 'gzip, gzip', 'zstd', 'GZIP') },
  );
  return fc.tuple(bytes, contentType, encoding).map(([raw, type, coding]) => {
    const headers: Record<string, string> = {};
    if (type) headers['content-type'] = type;
    let body = raw;
    if (coding === 'gzip-real') {
      headers['content-encoding'] = 'gzip';
      body = gzipSync(raw);
    } else if (coding !== 'none') {
      headers['content-encoding'] = coding;
    }
    return { body, headers };
  });
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : serialize(value);
}

/** Query parameters: valid (or left out) but one, which is hostile, doubled, or bad percent-encoding. */
function queryFor(parameters: Parameter[], doc: OpenApiDocument, seeds: FuzzSeeds): fc.Arbitrary<string> {
  const valid = parameters.map((parameter) =>
    fc.option(
      validFor(doc, parameter.schema, seeds, parameter.name).map((value) => `${parameter.name}=${encode(asText(value))}`),
      { freq: 2 },
    ),
  );
  const mutation: fc.Arbitrary<{ index: number; text: string } | null> =
    parameters.length === 0
      ? fc.constant(null)
      : fc.integer({ min: 0, max: parameters.length - 1 }).chain((index) => {
          const { name, schema } = parameters[index];
          return fc
            .oneof(
              {
                weight: 6,
                arbitrary: mutatedFor(doc, schema, seeds, name, 0).map((value) => `${name}=${encode(asText(value)).slice(0, 1500)}`),
              },
              { weight: 1, arbitrary: fc.constantFrom(...RAW_URL_FRAGMENTS).map((raw) => `${name}=${raw}`) },
              {
                weight: 1,
                arbitrary: validFor(doc, schema, seeds, name).map(
                  (value) => `${name}=${encode(asText(value))}&${name}=${encode(asText(value))}`,
                ),
              },
              { weight: 1, arbitrary: fc.constant(`${name}[a]=1`) },
            )
            .map((text) => ({ index, text }));
        });
  const extra = fc.option(
    fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...RAW_URL_FRAGMENTS)).map(([key, raw]) => `${encode(key)}${raw}=${raw}`),
    { freq: 8 },
  );
  return fc.tuple(fc.tuple(...valid), fc.option(mutation, { freq: 6 }), extra).map(([parts, bad, more]) => {
    const all = parts.map((part, index) => (bad && bad.index === index ? bad.text : part));
    const query = [...all, more].filter(Boolean).join('&');
    return query ? `?${query}` : '';
  });
}

function pathFor(template: string, parameters: Parameter[], doc: OpenApiDocument, seeds: FuzzSeeds): fc.Arbitrary<string> {
  const names = parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
  if (names.length === 0) return fc.constant(template);
  const segment = (parameter: Parameter) =>
    fc.oneof(
      { weight: 2, arbitrary: validFor(doc, parameter.schema, seeds, parameter.name).map((value) => encode(asText(value))) },
      {
        weight: 3,
        arbitrary: mutatedFor(doc, parameter.schema, seeds, parameter.name, 0).map((value) => encode(asText(value)).slice(0, 1500)),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...RAW_URL_FRAGMENTS))
          .map(([text, raw]) => `${encode(text)}${raw}`),
      },
    );
  const byName = Object.fromEntries(
    parameters.filter((parameter) => parameter.in === 'path').map((parameter) => [parameter.name, segment(parameter)]),
  );
  return fc.record(byName).map((values) => names.reduce((path, name) => path.replace(`{${name}}`, values[name] || '%20'), template));
}

const printable = fc.stringMatching(/^[\x20-\x7e]{0,200}$/);

/** Every operation of the document, each with an arbitrary of malformed requests for it. */
export function fuzzOperations(doc: OpenApiDocument, seeds: FuzzSeeds, familyOf: (path: string) => string): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const parameters = operation.parameters ?? [];
      const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
      const withBody = bodySchema !== undefined;
      const request = fc
        .tuple(
          pathFor(template, parameters, doc, seeds),
          queryFor(
            parameters.filter((parameter) => parameter.in === 'query'),
            doc,
            seeds,
          ),
          fc.integer({ min: 0, max: 19 }),
          bodyFor(doc, bodySchema, seeds),
          fc.option(printable, { freq: 5 }),
          fc.constantFrom('PUT', 'PATCH', 'DELETE', 'POST', 'GET', 'OPTIONS'),
        )
        .map(([path, query, roll, body, requestId, otherMethod]): FuzzRequest => {
          // Mostly the documented method; 1 in 20 another one. A body where one is documented, and
          // 1 in 10 times on operations that take none.
          const sentMethod = roll === 0 ? otherMethod : method.toUpperCase();
          const sendBody = withBody ? roll !== 1 : roll === 2;
          const headers: Record<string, string> = sendBody ? { ...body.headers } : {};
          if (requestId !== null) headers['x-request-id'] = requestId;
          // Node answers URLs over its 16 KiB header limit itself (431), before the app sees them.
          const req = {
            operation: `${method.toUpperCase()} ${template}`,
            method: sentMethod,
            path: (path + query).slice(0, 12_000),
            headers,
            body: sendBody ? body.body : undefined,
          };
          return Object.defineProperty(req, fc.toStringMethod, { value: () => describeRequest(req), enumerable: false });
        });
      operations.push({ method: method.toUpperCase(), path: template, family: familyOf(template), request });
    }
  }
  return operations;
}
