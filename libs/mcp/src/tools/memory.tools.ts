import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from '@mnemolite/common';
import {
  LIST_LIMIT,
  MAX_BATCH_EVENTS,
  SEARCH_LIMIT,
  SEARCH_MODES,
  isoDateTimeSchema,
  storableText,
  uuidSchema,
  type CreateEventInput,
  type Event,
} from '@mnemolite/memory';
import { z } from 'zod';
import type { MnemoBackend } from '../backend/backend';
import { jsonObjectArg } from './json-object';
import { count, ok, runTool, snippet } from './tool-result';

const MAX_TEXT = 100_000;

const memoryFields = {
  text: storableText(MAX_TEXT).describe('The memory itself, in plain language (what happened, what was decided, a fact to keep).'),
  metadata: jsonObjectArg
    .optional()
    .describe('Optional JSON object for later filtering, e.g. {"project": "mnemolite", "kind": "decision"}.'),
  timestamp: isoDateTimeSchema.optional().describe('When it happened, ISO-8601 with a zone (2026-11-28T10:00:00Z); default: now.'),
};

const memorySchema = z.object(memoryFields);
const eventId = uuidSchema.describe('The memory id (a UUID returned by memory_write or a search).');
const timeRange = {
  ts_start: isoDateTimeSchema.optional().describe('Only memories at or after this time (ISO-8601 with a zone).'),
  ts_end: isoDateTimeSchema.optional().describe('Only memories at or before this time (ISO-8601 with a zone).'),
};

function toEventInput(memory: z.output<typeof memorySchema>): CreateEventInput {
  return { content: { text: memory.text }, metadata: memory.metadata, timestamp: memory.timestamp };
}

function eventText(event: Event): string {
  const content = event.content as Record<string, unknown>;
  return snippet(typeof content['text'] === 'string' ? content['text'] : content);
}

function eventLine(event: Event): string {
  const metadata = Object.keys(event.metadata).length ? ` ${snippet(event.metadata, 80)}` : '';
  return `${event.id} (${event.timestamp})${metadata}: ${eventText(event)}`;
}

/** Memory tools: write, search, get, update metadata, delete, list recent. */
export function registerMemoryTools(server: McpServer, backend: MnemoBackend, logger?: Logger): void {
  server.registerTool(
    'memory_write',
    {
      title: 'Remember one thing',
      description:
        'Store one memory (an event): a text, optional metadata for filtering, optional time. It is embedded for search by ' +
        'meaning and indexed for search by words. Returns the stored memory with its id.',
      inputSchema: memoryFields,
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      runTool('memory_write', logger, async () => {
        const event = await backend.createEvent(toEventInput(args));
        return ok({ event }, `Stored memory ${event.id} at ${event.timestamp}.`);
      }),
  );

  server.registerTool(
    'memory_write_many',
    {
      title: 'Remember several things',
      description: `Store 1 to ${MAX_BATCH_EVENTS} memories at once, all or nothing: if one is invalid, none is stored. Returns their ids in input order.`,
      inputSchema: {
        memories: z.array(memorySchema).min(1).max(MAX_BATCH_EVENTS).describe('The memories, each {text, metadata?, timestamp?}.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    (args) =>
      runTool('memory_write_many', logger, async () => {
        const ids = await backend.createEvents(args.memories.map(toEventInput));
        return ok({ ids }, `Stored ${count(ids.length, 'memory', 'memories')}: ${ids.join(', ')}.`);
      }),
  );

  server.registerTool(
    'memory_search',
    {
      title: 'Recall memories',
      description:
        'Find memories by meaning and words. mode "hybrid" (default) fuses meaning (vector) and words (lexical); "vector" is ' +
        'meaning only; "lexical" is words only (stemmed; "quoted phrase" must match as a phrase, -word excludes). Without ' +
        '"query" it lists memories matching the filters, newest first. Filters (metadata containment, time range) apply ' +
        'before ranking. Scores are 0..1, higher is better.',
      inputSchema: {
        query: z.string().trim().min(1).max(10_000).optional().describe('What to look for, in words.'),
        mode: z.enum(SEARCH_MODES).optional().describe('"hybrid" (default), "vector" or "lexical".'),
        metadata: jsonObjectArg.optional().describe('Only memories whose metadata contains this object, e.g. {"project": "x"}.'),
        ...timeRange,
        limit: z
          .number()
          .int()
          .min(SEARCH_LIMIT.min)
          .max(SEARCH_LIMIT.max)
          .optional()
          .describe(`How many results (1..${SEARCH_LIMIT.max}, default ${SEARCH_LIMIT.default}).`),
        min_score: z.number().min(0).max(1).optional().describe('Drop results scoring below this (0..1).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('memory_search', logger, async () => {
        const response = await backend.searchEvents(args);
        const lines = response.results.map((result, i) => `${i + 1}. [${result.score.toFixed(3)}] ${eventLine(result.event)}`);
        const head = `${count(response.results.length, 'memory', 'memories')} (${response.mode}, ${Math.round(response.took_ms)} ms)`;
        return ok({ ...response }, lines.length ? `${head}:\n${lines.join('\n')}` : `${head}. Nothing matched.`);
      }),
  );

  server.registerTool(
    'memory_get',
    {
      title: 'Read one memory',
      description: 'Fetch one memory by id, with its content, metadata and time.',
      inputSchema: { id: eventId },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('memory_get', logger, async () => {
        const event = await backend.getEvent(args.id);
        return ok({ event }, eventLine(event));
      }),
  );

  server.registerTool(
    'memory_update_metadata',
    {
      title: "Update a memory's metadata",
      description:
        "Shallow-merge an object into a memory's metadata: given keys are set (overwriting their old values), other keys " +
        'stay. The text cannot be changed; write a new memory instead. Returns the updated memory.',
      inputSchema: {
        id: eventId,
        metadata: jsonObjectArg.describe('Keys to set, e.g. {"status": "done"}.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('memory_update_metadata', logger, async () => {
        const event = await backend.patchMetadata(args.id, args.metadata);
        return ok({ event }, `Updated memory ${event.id}; metadata is now ${snippet(event.metadata, 300)}.`);
      }),
  );

  server.registerTool(
    'memory_delete',
    {
      title: 'Forget a memory',
      description: "Delete one memory for good, with its graph node and that node's edges.",
      inputSchema: { id: eventId },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('memory_delete', logger, async () => {
        await backend.deleteEvent(args.id);
        return ok({ deleted: args.id }, `Deleted memory ${args.id}.`);
      }),
  );

  server.registerTool(
    'memory_list_recent',
    {
      title: 'List recent memories',
      description: 'The newest memories first, optionally filtered by metadata and time range; page with offset.',
      inputSchema: {
        limit: z.number().int().min(LIST_LIMIT.min).max(100).optional().describe('How many (1..100, default 20).'),
        offset: z.number().int().min(0).max(1_000_000).optional().describe('Skip this many (paging), default 0.'),
        metadata: jsonObjectArg.optional().describe('Only memories whose metadata contains this object.'),
        ...timeRange,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    (args) =>
      runTool('memory_list_recent', logger, async () => {
        const list = await backend.listEvents({ ...args, limit: args.limit ?? 20 });
        const lines = list.items.map((event) => `- ${eventLine(event)}`);
        const head = `${list.items.length} of ${count(list.total, 'memory', 'memories')} (offset ${list.offset})`;
        return ok({ ...list }, lines.length ? `${head}:\n${lines.join('\n')}` : `${head}.`);
      }),
  );
}
