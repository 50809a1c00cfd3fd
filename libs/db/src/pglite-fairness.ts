import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PGlite } from '@electric-sql/pglite';

type Turn = <T>(run: () => Promise<T>) => Promise<T>;

const turns = new WeakMap<PGlite, Turn>();

/**
 * Runs `run` in the engine's first-come queue when `yieldBetweenStatements` manages it (at once
 * otherwise): for work that calls the engine other than through `query`, `exec` or `transaction`
 * (pglite-prepared.ts). `run` must not itself call those three: it would wait for its own turn.
 */
export function inEngineTurn<T>(client: PGlite, run: () => Promise<T>): Promise<T> {
  const inTurn = turns.get(client);
  return inTurn === undefined ? run() : inTurn(run);
}

/**
 * PGlite runs each statement synchronously on the calling thread, and its lock hands over to the next
 * waiting statement through promise callbacks alone. Under load a queue of statements therefore runs
 * back to back without the event loop ever polling its sockets or timers: requests that arrive
 * meanwhile are not even read until the queue is empty, and are then served in bursts (`npm run
 * bench:load` at 50 connections: each write spent under 100 ms in Express while clients waited 0.7-1 s
 * at the median, and the 80/20 mix all but stopped, 3 and 38 requests in 10 s).
 *
 * Here every statement and transaction takes its turn in one first-come queue (the order PGlite's own
 * lock would give them) and waits one event-loop turn when its turn comes, so the server reads new
 * requests between statements and they queue behind the earlier ones. A transaction still runs its
 * statements back to back: it holds the engine, as a transaction should.
 */
export function yieldBetweenStatements(client: PGlite): void {
  let previous: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const turn = previous.then(() => nextTurn()).then(run);
    previous = turn.catch(() => undefined);
    return turn;
  };
  turns.set(client, inTurn);
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = ((...args: Parameters<PGlite['query']>) => inTurn(() => query(...args))) as PGlite['query'];
  client.exec = (...args: Parameters<PGlite['exec']>) => inTurn(() => exec(...args));
  client.transaction = ((...args: Parameters<PGlite['transaction']>) => inTurn(() => transaction(...args))) as PGlite['transaction'];
}
