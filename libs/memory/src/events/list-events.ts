import { sql } from 'drizzle-orm';
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
  const where = whereClause(namespace, filters);
  const [rows, counted] = await Promise.all([
    queryRows<EventRow>(
      db,
      sql`select ${eventColumns()} from events e ${where}
          order by e."timestamp" desc, e.id desc limit ${page.limit} offset ${page.offset}`,
    ),
    queryRows<{ total: number }>(db, sql`select count(*)::int as total from events e ${where}`),
  ]);
  return { items: rows.map(toEvent), total: counted[0]?.total ?? 0 };
}
