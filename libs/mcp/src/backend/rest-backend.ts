import {
  AppError,
  DEFAULT_NAMESPACE,
  ERROR_STATUS,
  NAMESPACE_HEADER,
  UnavailableError,
  namespaceSchema,
  type ErrorCode,
} from '@mnemolite/common';
import type { MnemoBackend } from './backend';

export interface RestBackendOptions {
  /** The API's base URL, e.g. `http://127.0.0.1:8000`. */
  url: string;
  /** Sent as `Authorization: Bearer <key>` when set. */
  apiKey?: string;
  /** Sent as `X-Namespace` (MNEMOLITE_NAMESPACE); default "default". */
  namespace?: string;
  /** Per-request timeout (indexing a directory can take minutes). Default 10 minutes. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

function query(values: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    params.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The MCP backend as a client of a running MnemoLite API (`/v1`): used by the stdio server when the
 * API owns the embedded database. The API's error body becomes the same `AppError` the services
 * throw in process, so tools render both alike.
 */
export function createRestBackend(options: RestBackendOptions): MnemoBackend {
  const namespace = namespaceSchema.parse(options.namespace ?? DEFAULT_NAMESPACE);
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 600_000;

  /** `okStatuses`: statuses whose body is the answer (health answers 503 with its body when degraded). */
  async function call<T>(method: string, path: string, body?: unknown, okStatuses: number[] = []): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          [NAMESPACE_HEADER]: namespace,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new UnavailableError(
        `Cannot reach the MnemoLite API at ${base} (${reason}). Start it (npx nx serve api) or fix MNEMOLITE_URL.`,
      );
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      throw new UnavailableError(
        `The MnemoLite API at ${base} answered ${response.status} with a body that is not JSON; is MNEMOLITE_URL the API?`,
      );
    }
    if (!response.ok && !okStatuses.includes(response.status)) {
      const error = (parsed as ErrorBody | undefined)?.error;
      const code =
        error?.code && error.code in ERROR_STATUS ? (error.code as ErrorCode) : response.status === 404 ? 'not_found' : 'internal';
      const message =
        response.status === 401
          ? `The MnemoLite API refused the key: ${error?.message ?? 'unauthorized'} Set MNEMOLITE_API_KEY to the API's key.`
          : (error?.message ?? `The MnemoLite API answered ${response.status}.`);
      throw new AppError(code, message, error?.details);
    }
    return parsed as T;
  }

  const id = (value: string) => encodeURIComponent(value);

  return {
    via: base,
    namespace,
    withNamespace: (other) => createRestBackend({ ...options, namespace: other }),
    createEvent: (input) => call('POST', '/v1/events', input),
    createEvents: async (inputs) => (await call<{ ids: string[] }>('POST', '/v1/events/batch', { events: inputs })).ids,
    searchEvents: (input) => call('POST', '/v1/search', input),
    getEvent: (eventId) => call('GET', `/v1/events/${id(eventId)}`),
    patchMetadata: (eventId, patch) => call('PATCH', `/v1/events/${id(eventId)}/metadata`, patch),
    deleteEvent: (eventId) => call('DELETE', `/v1/events/${id(eventId)}`),
    listEvents: (input) => call('GET', `/v1/events${query(input)}`),

    createNode: (input) => call('POST', '/v1/graph/nodes', input),
    createEdge: (input) => call('POST', '/v1/graph/edges', input),
    neighbors: (nodeId, input) => call('GET', `/v1/graph/nodes/${id(nodeId)}/neighbors${query(input)}`),
    path: (input) => call('GET', `/v1/graph/path${query(input)}`),

    // Progress stays inside the API: over REST only the final report comes back.
    indexCode: (input) => call('POST', '/v1/code/index', input),
    searchCode: (input) => call('POST', '/v1/code/search', input),
    callers: (repository, symbol, depth) => call('GET', `/v1/code/graph/callers${query({ repository, symbol, depth })}`),
    callees: (repository, symbol, depth) => call('GET', `/v1/code/graph/callees${query({ repository, symbol, depth })}`),
    repositories: () => call('GET', '/v1/code/repositories'),
    deleteRepository: (name) => call('DELETE', `/v1/code/repositories/${id(name)}`),

    health: () => call('GET', '/v1/health', undefined, [503]),
  };
}
