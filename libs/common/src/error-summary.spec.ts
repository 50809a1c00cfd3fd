import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { serializeError, summarizeError } from './error-summary';

/** What node-postgres throws for a server error. */
function pgError(): Error {
  return Object.assign(new Error('value out of range: overflow'), {
    code: '22003',
    severity: 'ERROR',
    detail: 'x'.repeat(1000),
    routine: 'float_overflow_error',
  });
}

/** What Drizzle wraps it in: the statement and every bound parameter in the message and the properties. */
function drizzleError(): Error {
  const vector = `[${Array.from({ length: 768 }, () => '0.123456').join(',')}]`;
  const content = 'the whole memory text '.repeat(500);
  return Object.assign(
    new Error(`Failed query: insert into "events" ("content", "embedding") values ($1, $2)\nparams: ${content},${vector}`),
    {
      name: 'DrizzleQueryError',
      query: 'insert into "events" ("content", "embedding") values ($1, $2)',
      params: [content, vector],
      cause: pgError(),
    },
  );
}

describe('summarizeError', () => {
  it("keeps PostgreSQL's own code and message, drops the parameters", () => {
    const summary = summarizeError(drizzleError());
    expect(summary.pg).toMatchObject({
      code: '22003',
      message: 'value out of range: overflow',
      severity: 'ERROR',
      routine: 'float_overflow_error',
    });
    expect(summary.message).toBe('Failed query: insert into "events" ("content", "embedding") values ($1, $2)');
    expect(summary.params).toBe(2);
    const text = JSON.stringify(summary);
    expect(text).not.toContain('whole memory text');
    expect(text).not.toContain('0.123456');
    expect(text.length).toBeLessThan(3000);
  });

  it('bounds long messages and details', () => {
    const summary = summarizeError(new Error('y'.repeat(10_000)));
    expect(summary.message.length).toBeLessThan(1100);
    expect(summary.message).toMatch(/more characters\)$/);
    expect(summarizeError(pgError()).pg?.detail?.length).toBeLessThan(300);
  });

  it('leaves out arbitrary properties an error carries (request content in details)', () => {
    const error = Object.assign(new Error('bad'), { details: { content: 'private memory' }, body: 'private body' });
    expect(JSON.stringify(summarizeError(error))).not.toContain('private');
  });

  it('accepts what pino-std-serializers made of the error (pino-http wraps custom serializers)', () => {
    const error = drizzleError();
    const standard = { type: 'DrizzleQueryError', message: error.message, raw: error };
    expect(serializeError(standard)).toEqual(summarizeError(error));
    expect(serializeError('not an error')).toBe('not an error');
  });
});

describe('logger err serializer', () => {
  it('writes the summary, not the payload', () => {
    let output = '';
    const logger = createLogger(
      { level: 'info', name: 'test' },
      new Writable({
        write(chunk, _encoding, done) {
          output += String(chunk);
          done();
        },
      }),
    );
    logger.error({ err: drizzleError() }, 'insert failed');
    const line = JSON.parse(output) as { err: { pg: { code: string } } };
    expect(line.err.pg.code).toBe('22003');
    expect(output).not.toContain('whole memory text');
    expect(output).not.toContain('0.123456');
  });
});
