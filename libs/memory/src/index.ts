export * from './schemas/common.schemas';
export * from './schemas/events.schemas';
export * from './schemas/search.schemas';
export * from './schemas/graph.schemas';
export { selectEmbeddingText } from './events/event-text';
export { EventsService, type EventsServiceDeps } from './events/events.service';
export {
  INGEST_EVENT_JOB,
  enqueueIngestEvent,
  ingestEventJob,
  ingestEventPayloadSchema,
  type IngestEventPayload,
  type IngestEventResult,
} from './events/ingest-event.job';
export { DEFAULT_EF_SEARCH, SearchService, type SearchServiceDeps } from './search/search.service';
export { defaultFusion, defaultHybridVectorSide, type Fusion, type HybridVectorSide } from './search/search-sql';
export { BM25, LEXICAL_CANDIDATE_BUDGET, idf } from './search/bm25';
export { GraphService } from './graph/graph.service';
