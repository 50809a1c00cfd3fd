import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgTransaction } from 'drizzle-orm/pg-core';
import type { Database, RowsQueryResultHKT, Schema } from './database';

/** The transaction `Database.transaction()` hands its callback, on either engine. */
export type Transaction = PgTransaction<RowsQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/**
 * What runs statements: the database itself or a transaction opened on it. Functions that also run
 * inside their caller's transaction take this, and the caller passes its `tx` as it is (Drizzle's
 * transaction is a database too, so no cast is ever needed).
 */
export type DatabaseExecutor = Database | Transaction;
