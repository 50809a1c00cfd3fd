import { Router } from 'express';
import { UnavailableError } from '@mnemolite/common';
import {
  createEventQuerySchema,
  createEventSchema,
  createEventsBatchSchema,
  enqueueIngestEvent,
  eventIdParamsSchema,
  eventIdsSchema,
  eventListSchema,
  eventSchema,
  getEventQuerySchema,
  listEventsQuerySchema,
  patchMetadataSchema,
  queuedEventSchema,
  type EventsService,
  type EventsServiceDeps,
} from '@mnemolite/memory';
import { requestNamespace } from '../../http/request-scope';
import { errorResponses, jsonContent, requiredRole, type OpenAPIRegistry } from '../../openapi/document';
import { requireRole } from '../../http/auth';

export interface EventsRoutesDeps extends EventsServiceDeps {
  events: EventsService;
  workerAvailable: () => Promise<boolean>;
}

/** `/events`: thin HTTP over the events service; every input is parsed by the lib's schemas. */
export function eventsRoutes(deps: EventsRoutesDeps): Router {
  const router = Router();

  router.post('/events', requireRole('write'), async (req, res) => {
    const query = createEventQuerySchema.parse(req.query);
    const body = createEventSchema.parse(req.body);
    if (query.async) {
      if (!(await deps.workerAvailable())) {
        throw new UnavailableError('No worker is running, so asynchronous writes are unavailable; write without async=true.');
      }
      const id = await enqueueIngestEvent(deps, requestNamespace(res), body);
      res.status(202).json({ id, status: 'queued' });
      return;
    }
    res.status(201).json(await deps.events.create(requestNamespace(res), body));
  });

  router.post('/events/batch', requireRole('write'), async (req, res) => {
    const body = createEventsBatchSchema.parse(req.body);
    res.status(201).json({ ids: await deps.events.createMany(requestNamespace(res), body.events) });
  });

  router.get('/events', requireRole('read'), async (req, res) => {
    res.json(await deps.events.list(requestNamespace(res), listEventsQuerySchema.parse(req.query)));
  });

  router.get('/events/:id', requireRole('read'), async (req, res) => {
    const { id } = eventIdParamsSchema.parse(req.params);
    const query = getEventQuerySchema.parse(req.query);
    res.json(await deps.events.get(requestNamespace(res), id, { includeEmbedding: query.include_embedding }));
  });

  router.patch('/events/:id/metadata', requireRole('write'), async (req, res) => {
    const { id } = eventIdParamsSchema.parse(req.params);
    res.json(await deps.events.patchMetadata(requestNamespace(res), id, patchMetadataSchema.parse(req.body)));
  });

  router.delete('/events/:id', requireRole('write'), async (req, res) => {
    const { id } = eventIdParamsSchema.parse(req.params);
    await deps.events.delete(requestNamespace(res), id);
    res.status(204).end();
  });

  return router;
}

export function registerEventsDocs(registry: OpenAPIRegistry): void {
  const tags = ['memory: events'];
  registry.registerPath({
    method: 'post',
    path: '/v1/events',
    ...requiredRole('write'),
    tags,
    summary: 'Store an event (or queue it with async=true)',
    description:
      'Embeds the text of `content` with the text model (as a document) unless `embedding` is given, and creates the ' +
      "event's graph node (type `event`, same id). With `async=true` the worker stores it: the answer is 202 and " +
      '`GET /v1/events/{id}` is 404 until then; without a running worker the answer is 503.',
    request: { query: createEventQuerySchema, body: { required: true, ...jsonContent(createEventSchema) } },
    responses: {
      201: { description: 'Stored', ...jsonContent(eventSchema) },
      202: { description: 'Queued for the worker', ...jsonContent(queuedEventSchema) },
      ...errorResponses(400, 401, 413, 415, 503),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/events/batch',
    ...requiredRole('write'),
    tags,
    summary: 'Store 1..1000 events, all or nothing',
    description: 'One transaction, one multi-row insert; ids in input order.',
    request: { body: { required: true, ...jsonContent(createEventsBatchSchema) } },
    responses: { 201: { description: 'Stored', ...jsonContent(eventIdsSchema) }, ...errorResponses(400, 401, 413, 415) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/events',
    ...requiredRole('read'),
    tags,
    summary: 'List events, newest first',
    request: { query: listEventsQuerySchema },
    responses: { 200: { description: 'A page of events', ...jsonContent(eventListSchema) }, ...errorResponses(400, 401) },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/events/{id}',
    ...requiredRole('read'),
    tags,
    summary: 'One event',
    request: { params: eventIdParamsSchema, query: getEventQuerySchema },
    responses: { 200: { description: 'The event', ...jsonContent(eventSchema) }, ...errorResponses(400, 401, 404) },
  });
  registry.registerPath({
    method: 'patch',
    path: '/v1/events/{id}/metadata',
    ...requiredRole('write'),
    tags,
    summary: 'Shallow-merge an object into the metadata',
    request: { params: eventIdParamsSchema, body: { required: true, ...jsonContent(patchMetadataSchema) } },
    responses: { 200: { description: 'The updated event', ...jsonContent(eventSchema) }, ...errorResponses(400, 401, 404, 415) },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/events/{id}',
    ...requiredRole('write'),
    tags,
    summary: 'Delete an event with its graph node and edges',
    request: { params: eventIdParamsSchema },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(400, 401, 404) },
  });
}
