import { parse, protocol, types, type PGlite, type QueryOptions } from '@electric-sql/pglite';
import { postgresErrorCode } from '@mnemolite/common';
import { inEngineTurn } from './pglite-fairness';

const { serialize } = protocol;

/**
 * Result parsing as drizzle-orm's PGlite driver does it for raw SQL (`db.execute`), so that a named
 * statement's rows are the rows `queryRows` gives: objects, with timestamps, dates and intervals (and
 * their arrays, and numeric arrays) left as PostgreSQL's text.
 */
const AS_DRIZZLE_RETURNS: QueryOptions = {
  rowMode: 'object',
  parsers: Object.fromEntries(
    [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map((oid) => [
      oid,
      (value: string) => value,
    ]),
  ),
};

/** PostgreSQL's codes for a named statement that is gone, or whose cached plan no longer fits. */
const STATEMENT_GONE = new Set(['26000', '0A000']);

/** Per engine: the statements prepared in its one session, with their parameter types. */
const preparedIn = new WeakMap<PGlite, Map<string, number[]>>();

function concat(...parts: Uint8Array[]): Uint8Array {
  const message = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    message.set(part, offset);
    offset += part.length;
  }
  return message;
}

/**
 * Runs `text` as the named prepared statement `name` in PGlite's session and returns its rows. PGlite's
 * `query` parses and plans every statement again (an unnamed statement, five calls into the engine);
 * here the first execution parses and describes the statement once, and every later one is a single
 * call (bind, execute, sync) that PostgreSQL answers from its plan cache, with a generic plan when its
 * `plan_cache_mode = auto` finds it no costlier, as on a server. The call takes its turn with every
 * other statement (pglite-fairness.ts) and holds PGlite's own locks, as `query` does, so it never runs
 * inside another caller's transaction.
 */
export async function queryPgliteNamed<T>(client: PGlite, name: string, text: string, params: unknown[]): Promise<T[]> {
  return inEngineTurn(client, () =>
    client._runExclusiveTransaction(() =>
      client._runExclusiveQuery(async () => {
        try {
          return await execute<T>(client, name, text, params);
        } catch (error) {
          // Dropped (DISCARD ALL) or made stale by a schema change: prepare it again, once.
          if (!STATEMENT_GONE.has(postgresErrorCode(error) ?? '')) throw error;
          await forget(client, name);
          return execute<T>(client, name, text, params);
        }
      }),
    ),
  );
}

async function execute<T>(client: PGlite, name: string, text: string, params: unknown[]): Promise<T[]> {
  const types = await parameterTypes(client, name, text);
  const values = params.map((value, index) => {
    if (value === null || value === undefined) return null;
    const serializer = client.serializers[types[index]];
    return serializer ? serializer(value) : String(value);
  });
  const { messages } = await client.execProtocol(
    concat(serialize.bind({ statement: name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()),
    { syncToFs: false },
  );
  if (!client.isInTransaction()) await client.syncToFs();
  return parse.parseResults(messages, client.parsers, AS_DRIZZLE_RETURNS)[0].rows as T[];
}

/** The statement's parameter types, preparing it first if this session has not. */
async function parameterTypes(client: PGlite, name: string, text: string): Promise<number[]> {
  let statements = preparedIn.get(client);
  if (statements === undefined) {
    statements = new Map();
    preparedIn.set(client, statements);
  }
  const known = statements.get(name);
  if (known !== undefined) return known;
  const { messages } = await client.execProtocol(
    concat(serialize.parse({ name, text }), serialize.describe({ type: 'S', name }), serialize.sync()),
    { syncToFs: false },
  );
  const types = parse.parseDescribeStatementResults(messages);
  statements.set(name, types);
  return types;
}

async function forget(client: PGlite, name: string): Promise<void> {
  preparedIn.get(client)?.delete(name);
  await client.execProtocol(concat(serialize.close({ type: 'S', name }), serialize.sync()), { syncToFs: false });
}
