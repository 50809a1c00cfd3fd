import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_NAMESPACE, namespaceSchema } from '@mnemolite/common';
import { enqueueJob } from '@mnemolite/db';
import { uuidSchema } from '../schemas/common.schemas';
import { createEventSchema, type CreateEventInput } from '../schemas/events.schemas';
import { EventsService, type EventsServiceDeps } from './events.service';
import { assertEmbeddingDimension } from './prepare-events';

/** The queue's job kind for `POST /v1/events?async=true`. */
export const INGEST_EVENT_JOB = 'ingest-event';

/**
 * The job payload: the validated request body with the id the API already answered with and the
 * request's namespace (jobs queued before namespaces existed carry none: they are "default").
 */
export const ingestEventPayloadSchema = createEventSchema.extend({ id: uuidSchema, namespace: namespaceSchema.default(DEFAULT_NAMESPACE) });
export type IngestEventPayload = z.infer<typeof ingestEventPayloadSchema>;

export interface IngestEventResult {
  id: string;
  /** False when an earlier delivery of the same job had already stored the event. */
  stored: boolean;
  [key: string]: unknown;
}

/**
 * The worker's handler for `ingest-event` jobs: validates the payload again (it crossed a process
 * boundary), embeds and stores the event under its pre-assigned id. Idempotent, so a job retried after
 * a crash stores the event once.
 */
export function ingestEventJob(deps: EventsServiceDeps): (payload: Record<string, unknown>) => Promise<IngestEventResult> {
  const events = new EventsService(deps);
  return async (payload) => {
    const { id, namespace, ...input } = ingestEventPayloadSchema.parse(payload);
    const stored = await events.createWithId(namespace, id, input);
    return { id, stored };
  };
}

/**
 * Queues an event for the worker: checks what can be checked now (the vector's dimension), fixes
 * the id and the timestamp (the time of the request, not of the job), and enqueues it. Returns the id.
 */
export async function enqueueIngestEvent(deps: EventsServiceDeps, namespace: string, input: CreateEventInput): Promise<string> {
  assertEmbeddingDimension(input, deps.textEmbedder);
  const id = randomUUID();
  const timestamp = new Date(input.timestamp ?? Date.now()).toISOString();
  const payload: IngestEventPayload = { ...input, timestamp, id, namespace };
  await enqueueJob(deps.db, INGEST_EVENT_JOB, payload);
  return id;
}
