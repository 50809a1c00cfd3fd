import { sql, type SQL } from 'drizzle-orm';
import { fromVectorLiteral } from '@mnemolite/embeddings';
import type { Event } from '../schemas/events.schemas';

/** A timestamp rendered by SQL as ISO-8601 UTC with milliseconds, the same on both engines. */
export function isoTimestamp(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** The columns of an event object, read from the `events` row aliased `e`. */
export function eventColumns(includeEmbedding = false): SQL {
  const embedding = includeEmbedding ? sql`, e.embedding::text as embedding` : sql``;
  return sql`e.id, ${isoTimestamp(sql`e."timestamp"`)} as "timestamp", e.content, e.metadata,
    e.embedding_model, e.embedding is not null as has_embedding${embedding}`;
}

export interface EventRow {
  id: string;
  timestamp: string;
  content: Record<string, unknown>;
  metadata: Record<string, unknown>;
  embedding_model: string | null;
  has_embedding: boolean;
  embedding?: string | null;
}

export function toEvent(row: EventRow): Event {
  const event: Event = {
    id: row.id,
    timestamp: row.timestamp,
    content: row.content,
    metadata: row.metadata,
    embedding_model: row.embedding_model,
    has_embedding: row.has_embedding,
  };
  if (row.embedding !== undefined) event.embedding = row.embedding === null ? [] : fromVectorLiteral(row.embedding);
  return event;
}
