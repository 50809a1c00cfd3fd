import { and, sql, type SQL } from 'drizzle-orm';

export interface EventFilters {
  /** JSONB containment: the event's metadata must contain this object. */
  metadata?: Record<string, unknown>;
  /** Inclusive bounds, ISO-8601 with a zone. */
  ts_start?: string;
  ts_end?: string;
}

/**
 * The WHERE conditions of a filter on `events` aliased `e`. Every value is a bound parameter (the
 * metadata object travels as one JSON parameter), so keys and values are matched literally whatever
 * they contain. Time bounds are compared with the partition key as constants, so the planner prunes
 * the monthly partitions outside the window.
 */
export function eventFilterConditions(filters: EventFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.metadata !== undefined && Object.keys(filters.metadata).length > 0) {
    conditions.push(sql`e.metadata @> ${JSON.stringify(filters.metadata)}::jsonb`);
  }
  if (filters.ts_start !== undefined) conditions.push(sql`e."timestamp" >= ${filters.ts_start}::timestamptz`);
  if (filters.ts_end !== undefined) conditions.push(sql`e."timestamp" <= ${filters.ts_end}::timestamptz`);
  return conditions;
}

/**
 * `where ...` over `events e` confined to `namespace`, with the filters; `extra` conditions are ANDed
 * in. Every query of events builds its WHERE here, so none can forget the namespace.
 */
export function whereClause(namespace: string, filters: EventFilters, ...extra: SQL[]): SQL {
  return sql`where ${and(sql`e.namespace = ${namespace}`, ...extra, ...eventFilterConditions(filters))}`;
}
