import { sql, type SQL } from 'drizzle-orm';
import { fromVectorLiteral } from '@mnemolite/embeddings';
import type { Event } from '../schemas/events.schemas';

/**
 * A timestamp rendered by SQL as ISO-8601 UTC with milliseconds (2026-01-31T09:05:07.042Z), the same
 * on every engine. Built from IMMUTABLE functions only (extract from a UTC timestamp, lpad): Citus
 * refuses non-immutable functions such as to_char (STABLE) in the RETURNING clause of writes it sends
 * to the workers.
 */
export function isoTimestamp(column: SQL): SQL {
  const utc = sql`(${column} at time zone 'UTC')`;
  const field = (name: string, width: number) =>
    sql`lpad(floor(extract(${sql.raw(name)} from ${utc}))::int::text, ${sql.raw(String(width))}, '0')`;
  return sql`${field('year', 4)} || '-' || ${field('month', 2)} || '-' || ${field('day', 2)} || 'T' ||
    ${field('hour', 2)} || ':' || ${field('minute', 2)} || ':' || ${field('second', 2)} || '.' ||
    lpad((floor(extract(milliseconds from ${utc}))::int % 1000)::text, 3, '0') || 'Z'`;
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
