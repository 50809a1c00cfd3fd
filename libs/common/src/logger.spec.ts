import { Writable } from 'node:stream';
import { createLogger } from './logger';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
  };
}

describe('createLogger', () => {
  it('writes JSON lines with the service name and redacts secrets', () => {
    const out = capture();
    const logger = createLogger({ level: 'info', name: 'api' }, out.stream);
    logger.info({ req: { headers: { authorization: 'Bearer s3cret' } }, config: { apiKey: 'k' } }, 'hello');
    const [line] = out.lines();
    expect(line).toMatchObject({ name: 'api', level: 'info', msg: 'hello' });
    expect(JSON.stringify(line)).not.toContain('s3cret');
    expect(JSON.stringify(line)).not.toContain('"k"');
  });

  it("redacts a server database's URL wherever the config travels", () => {
    const out = capture();
    const logger = createLogger({ level: 'info', name: 'api' }, out.stream);
    const database = { engine: 'postgres', url: 'postgres://u:pw-secret@db/m', poolMax: 5 };
    logger.info({ database }, 'top level');
    logger.info({ config: { database } }, 'nested');
    expect(out.lines()).toHaveLength(2);
    expect(JSON.stringify(out.lines())).not.toContain('pw-secret');
    expect(out.lines()[1]).toMatchObject({ config: { database: { engine: 'postgres', url: '[redacted]' } } });
  });

  it('honours the level', () => {
    const out = capture();
    const logger = createLogger({ level: 'warn', name: 'api' }, out.stream);
    logger.info('hidden');
    logger.warn('shown');
    expect(out.lines().map((l) => l['msg'])).toEqual(['shown']);
  });
});
