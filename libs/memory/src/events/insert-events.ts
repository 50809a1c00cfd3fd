import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '@mnemolite/db';
import { toVectorLiteral } from '@mnemolite/embeddings';
import type { Event } from '../schemas/events.schemas';
import { eventColumns, toEvent, type EventRow } from './event-row';
import type { PreparedEvent } from './prepare-events';

/**
 * Stores events of `namespace` and their graph nodes (type `event`, same id, memory graph, same
 * namespace) in one transaction: one
 * multi-row INSERT per table, whatever the batch size, so a batch costs two statements, not 2N round
 * trips, and is all or nothing. `skipExisting` makes a retried job idempotent.
 */
export async function insertEvents(
  db: Database,
  namespace: string,
  events: PreparedEvent[],
  options: { skipExisting?: boolean } = {},
): Promise<Event[]> {
  const eventValues = events.map(
    (event) => sql`(${namespace}, ${event.id}::uuid, ${event.timestamp}::timestamptz, ${JSON.stringify(event.content)}::jsonb,
      ${JSON.stringify(event.metadata)}::jsonb,
      ${event.embedding === null ? null : toVectorLiteral(event.embedding)}::vector, ${event.embeddingModel})`,
  );
  const nodeValues = events.map((event) => sql`(${namespace}, ${event.id}::uuid, 'event', ${event.nodeLabel}, '{}'::jsonb)`);
  const onConflict = options.skipExisting ? sql`on conflict do nothing` : sql``;
  return db.transaction(async (tx) => {
    const rows = await queryRows<EventRow>(
      tx,
      sql`insert into events as e (namespace, id, "timestamp", content, metadata, embedding, embedding_model)
          values ${sql.join(eventValues, sql`, `)} ${onConflict}
          returning ${eventColumns()}`,
    );
    await tx.execute(sql`insert into nodes (namespace, id, type, label, properties) values ${sql.join(nodeValues, sql`, `)} ${onConflict}`);
    return rows.map(toEvent);
  });
}
