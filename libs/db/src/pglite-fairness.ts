import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PGlite } from '@electric-sql/pglite';

/**
 * PGlite runs each statement synchronously on the calling thread, and its lock hands over to the next
 * waiting statement through promise callbacks alone. Under load a queue of statements therefore runs
 * back to back without the event loop ever polling its sockets: requests that arrive meanwhile are not
 * even read until the queue is empty, and are then served in bursts (`npm run bench:load` at 50
 * connections: each write spent under 100 ms in Express while clients waited 0.7-1 s at the median, and
 * the 80/20 mix all but stopped, 3 and 38 requests in 10 s). Waiting one event-loop turn before each
 * statement and each transaction lets the server read
 * new requests between statements, so they queue behind the earlier ones in arrival order. A transaction
 * still runs its statements back to back: it holds the engine, as a transaction should.
 */
export function yieldBetweenStatements(client: PGlite): void {
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = (async (...args: Parameters<PGlite['query']>) => {
    await nextTurn();
    return query(...args);
  }) as PGlite['query'];
  client.exec = async (...args: Parameters<PGlite['exec']>) => {
    await nextTurn();
    return exec(...args);
  };
  client.transaction = (async (...args: Parameters<PGlite['transaction']>) => {
    await nextTurn();
    return transaction(...args);
  }) as PGlite['transaction'];
}
