import { z } from 'zod';
import {
  isoDateTimeSchema,
  jsonObjectSchema,
  jsonText,
  queryBooleanSchema,
  queryInteger,
  startsAfterEnd,
  timeRangeIssue,
  uuidSchema,
  vectorSchema,
} from './common.schemas';

export const MAX_BATCH_EVENTS = 1000;
export const LIST_LIMIT = { min: 1, max: 1000, default: 50 } as const;

export const eventContentSchema = jsonObjectSchema
  .refine((value) => Object.keys(value).length > 0, 'content must be a non-empty object.')
  .describe(
    'Any non-empty JSON object. The text embedded is `text`, else `body`, `message`, `content` or `title` (first non-empty string), else every string leaf joined.',
  );

export const createEventSchema = z
  .object({
    content: eventContentSchema,
    metadata: jsonObjectSchema.optional().describe('JSON object used by filters (containment).'),
    timestamp: isoDateTimeSchema.optional().describe('When the event happened; defaults to now.'),
    embedding: vectorSchema.optional().describe("A precomputed vector from the text model; its length must be the text model's dimension."),
  })
  .meta({ id: 'EventCreate' });

export const createEventsBatchSchema = z
  .object({ events: z.array(createEventSchema).min(1).max(MAX_BATCH_EVENTS) })
  .meta({ id: 'EventBatchCreate' });

export const eventSchema = z
  .object({
    id: z.guid(),
    timestamp: z.string().describe('ISO-8601, UTC.'),
    content: z.record(z.string(), z.unknown()),
    metadata: z.record(z.string(), z.unknown()),
    embedding_model: z.string().nullable(),
    has_embedding: z.boolean(),
    embedding: z.array(z.number()).optional().describe('Only with `include_embedding=true`.'),
  })
  .meta({ id: 'Event' });

export const eventIdParamsSchema = z.object({ id: uuidSchema });

export const createEventQuerySchema = z.object({
  async: queryBooleanSchema.optional().describe('`true`: queue the write for the worker and answer 202.'),
});

export const getEventQuerySchema = z.object({
  include_embedding: queryBooleanSchema.optional(),
});

export const patchMetadataSchema = jsonObjectSchema.meta({ id: 'MetadataPatch' });

export const listEventsQuerySchema = z
  .object({
    metadata: jsonText(jsonObjectSchema, 'metadata').optional().describe('A JSON object; events whose metadata contains it (JSONB `@>`).'),
    ts_start: isoDateTimeSchema.optional().describe('Inclusive lower bound on timestamp.'),
    ts_end: isoDateTimeSchema.optional().describe('Inclusive upper bound on timestamp.'),
    limit: queryInteger(LIST_LIMIT.min, LIST_LIMIT.max).default(LIST_LIMIT.default),
    offset: queryInteger(0, Number.MAX_SAFE_INTEGER).default(0),
  })
  .refine((query) => !startsAfterEnd(query), timeRangeIssue);

export const eventListSchema = z
  .object({ items: z.array(eventSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .meta({ id: 'EventList' });

export const eventIdsSchema = z.object({ ids: z.array(z.guid()) }).meta({ id: 'EventIds' });

export const queuedEventSchema = z.object({ id: z.guid(), status: z.literal('queued') }).meta({ id: 'QueuedEvent' });

export type CreateEventInput = z.infer<typeof createEventSchema>;
export type Event = z.infer<typeof eventSchema>;
export type EventList = z.infer<typeof eventListSchema>;
export type ListEventsQuery = z.infer<typeof listEventsQuerySchema>;
