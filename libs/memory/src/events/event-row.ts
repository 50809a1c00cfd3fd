import { sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { events } from '@mnemolite/db';
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

/** `events` as the raw queries of events (lists, search) name it: `from events e`. */
const eventsE = alias(events, 'e');

/**
 * The fields of an event object, read from `table`: a Drizzle selection for `select`, `returning`,
 * and, rendered by `eventColumns`, for raw SQL. `embedding` (pgvector's text form) only on request.
 */
function eventFieldsOf<T extends typeof events | typeof eventsE>(table: T, includeEmbedding: boolean) {
  return {
    id: table.id,
    timestamp: sql<string>`${isoTimestamp(sql`${table.timestamp}`)}`,
    content: table.content,
    metadata: table.metadata,
    embedding_model: table.embeddingModel,
    has_embedding: sql<boolean>`${table.embedding} is not null`,
    ...(includeEmbedding ? { embedding: sql<string | null>`${table.embedding}::text` } : {}),
  };
}

/** The fields of an event object as a Drizzle selection on `events`. */
export function eventFields(includeEmbedding = false) {
  return eventFieldsOf(events, includeEmbedding);
}

/** The columns of an event object, read from the `events` row aliased `e` (raw SQL). */
export function eventColumns(includeEmbedding = false): SQL {
  return sql.join(
    Object.entries(eventFieldsOf(eventsE, includeEmbedding)).map(([name, field]) => sql`${field} as ${sql.identifier(name)}`),
    sql`, `,
  );
}

/** An event as the queries above return it (before `toEvent`). */
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
