import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { NotFoundError } from '@mnemolite/common';
import { events, nodes, type Database } from '@mnemolite/db';
import type { Embedder } from '@mnemolite/embeddings';
import type { CreateEventInput, Event, EventList, ListEventsQuery } from '../schemas/events.schemas';
import { eventFields, toEvent } from './event-row';
import { insertEvents } from './insert-events';
import { listEvents } from './list-events';
import { prepareEvents } from './prepare-events';

export interface EventsServiceDeps {
  db: Database;
  /** The TEXT model: stored events are embedded with it, as documents. */
  textEmbedder: Embedder;
}

/**
 * Events: atomic memories with JSON content and metadata, embedded from their text. Every method takes
 * the namespace first and touches that namespace only: an id of another namespace is not found.
 */
export class EventsService {
  constructor(private readonly deps: EventsServiceDeps) {}

  async create(namespace: string, input: CreateEventInput, options: { id?: string } = {}): Promise<Event> {
    const [prepared] = await prepareEvents([{ ...input, id: options.id }], this.deps.textEmbedder);
    const [event] = await insertEvents(this.deps.db, namespace, [prepared]);
    return event;
  }

  /** All or nothing: one transaction, one multi-row insert. Returns the ids in input order. */
  async createMany(namespace: string, inputs: CreateEventInput[]): Promise<string[]> {
    const prepared = await prepareEvents(inputs, this.deps.textEmbedder, { batch: true });
    await insertEvents(this.deps.db, namespace, prepared);
    return prepared.map((event) => event.id);
  }

  /**
   * Stores an event under an id chosen earlier (the async path); a second delivery of the same job
   * finds it stored and does nothing. Returns whether this call stored it.
   */
  async createWithId(namespace: string, id: string, input: CreateEventInput): Promise<boolean> {
    if (await this.exists(namespace, id)) return false;
    const prepared = await prepareEvents([{ ...input, id }], this.deps.textEmbedder);
    const stored = await insertEvents(this.deps.db, namespace, prepared, { skipExisting: true });
    return stored.length === 1;
  }

  async get(namespace: string, id: string, options: { includeEmbedding?: boolean } = {}): Promise<Event> {
    const [row] = await this.deps.db.select(eventFields(options.includeEmbedding)).from(events).where(byId(namespace, id)).limit(1);
    if (!row) throw notFound(id);
    return toEvent(row);
  }

  async exists(namespace: string, id: string): Promise<boolean> {
    const rows = await this.deps.db.select({ id: events.id }).from(events).where(byId(namespace, id)).limit(1);
    return rows.length > 0;
  }

  /** Shallow merge: top-level keys of `patch` replace those of the stored metadata. */
  async patchMetadata(namespace: string, id: string, patch: Record<string, unknown>): Promise<Event> {
    const [row] = await this.deps.db
      .update(events)
      .set({ metadata: sql`${events.metadata} || ${JSON.stringify(patch)}::jsonb` })
      .where(byId(namespace, id))
      .returning(eventFields());
    if (!row) throw notFound(id);
    return toEvent(row);
  }

  /** Deletes the event with its graph node; the node's edges go with it (foreign-key cascade). */
  async delete(namespace: string, id: string): Promise<void> {
    await this.deps.db.transaction(async (tx) => {
      const deleted = await tx.delete(events).where(byId(namespace, id)).returning({ id: events.id });
      if (deleted.length === 0) throw notFound(id);
      await tx.delete(nodes).where(and(eq(nodes.namespace, namespace), eq(nodes.id, id), isNull(nodes.repository)));
    });
  }

  async list(namespace: string, query: ListEventsQuery): Promise<EventList> {
    const { items, total } = await listEvents(this.deps.db, namespace, query, { limit: query.limit, offset: query.offset });
    return { items, total, limit: query.limit, offset: query.offset };
  }
}

/** The event `id` of `namespace`: every lookup names its namespace. */
function byId(namespace: string, id: string): SQL | undefined {
  return and(eq(events.namespace, namespace), eq(events.id, id));
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`No event with id ${id}.`);
}
