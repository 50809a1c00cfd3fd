import type { Router } from 'express';
import type { OpenAPIRegistry } from './openapi/document';

/**
 * A feature's HTTP surface: a router mounted under `/v1` (behind the API key, the readiness gate and
 * the JSON body rules) and the OpenAPI paths it serves, registered from the same zod schemas that
 * validate its requests.
 */
export interface ApiFeature {
  name: string;
  router: Router;
  registerDocs(registry: OpenAPIRegistry): void;
}
