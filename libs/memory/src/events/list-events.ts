import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from '@mnemolite/db';
import type { Event } from '../schemas/events.schemas';
import { whereClause, type EventFilters } from './event-filters';
import { eventColumns, toEvent, type EventRow } from './event-row';

export interface ListPage {
  limit: number;
  offset: number;
}

/**
 * Events of `namespace` matching the filters, newest first (id breaks ties, so pages are stable), and
 * their count.
 */
export async function listEvents(
  db: Database,
  namespace: string,
  filters: EventFilters,
  page: ListPage,
): Promise<{ items: Event[]; total: number }> {
  const [rows, counted] = await Promise.all([
    queryRows<EventRow>(db, listEventsSql(namespace, filters, page)),
    queryRows<{ total: number }>(db, sql`select count(*)::int as total from events e ${whereClause(namespace, filters)}`),
  ]);
  return { items: rows.map(toEvent), total: counted[0]?.total ?? 0 };
}

/**
 * One page of `listEvents`. `nulls last` matches the (namespace, timestamp desc nulls last) index
 * (timestamps are never null): the newest rows are read in index order, not every match sorted.
 */
export function listEventsSql(namespace: string, filters: EventFilters, page: ListPage): SQL {
  return sql`select ${eventColumns()} from events e ${whereClause(namespace, filters)}
      order by e."timestamp" desc nulls last, e.id desc limit ${page.limit} offset ${page.offset}`;
}
