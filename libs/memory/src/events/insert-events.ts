import { events, nodes, type Database, type NewEventRow, type NewNodeRow } from '@mnemolite/db';
import type { Event } from '../schemas/events.schemas';
import { eventFields, toEvent } from './event-row';
import type { PreparedEvent } from './prepare-events';

/**
 * Stores events of `namespace` and their graph nodes (type `event`, same id, memory graph, same
 * namespace) in one transaction: one multi-row INSERT per table, whatever the batch size, so a batch
 * costs two statements, not 2N round trips, and is all or nothing. The columns come from the table
 * definitions. `skipExisting` makes a retried job idempotent.
 */
export async function insertEvents(
  db: Database,
  namespace: string,
  prepared: PreparedEvent[],
  options: { skipExisting?: boolean } = {},
): Promise<Event[]> {
  const eventRows: NewEventRow[] = prepared.map((event) => ({
    namespace,
    id: event.id,
    timestamp: new Date(event.timestamp),
    content: event.content,
    metadata: event.metadata,
    embedding: event.embedding === null ? null : Array.from(event.embedding),
    embeddingModel: event.embeddingModel,
  }));
  const nodeRows: NewNodeRow[] = prepared.map((event) => ({ namespace, id: event.id, type: 'event', label: event.nodeLabel }));
  return db.transaction(async (tx) => {
    let eventInsert = tx.insert(events).values(eventRows).$dynamic();
    let nodeInsert = tx.insert(nodes).values(nodeRows).$dynamic();
    if (options.skipExisting) {
      eventInsert = eventInsert.onConflictDoNothing();
      nodeInsert = nodeInsert.onConflictDoNothing();
    }
    const rows = await eventInsert.returning(eventFields());
    await nodeInsert;
    return rows.map(toEvent);
  });
}
