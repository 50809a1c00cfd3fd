import type { Database } from './database';

/** A transaction of a `Database`, as `db.transaction(async (tx) => ...)` hands it out. Work that must be atomic takes one. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Where a query can run: the database, or a transaction of it (a Drizzle transaction is a database too). */
export type DatabaseOrTransaction = Database | Transaction;
