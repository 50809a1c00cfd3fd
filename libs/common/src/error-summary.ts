/**
 * What an error log line may say about an error: its type, a bounded message, PostgreSQL's own
 * code and message when the database raised it, and a short stack. Never the error's other
 * properties: Drizzle's query errors carry every bound parameter (whole memories, 768-float
 * vectors), and other errors may carry request content in their details.
 */
export interface ErrorSummary {
  type: string;
  message: string;
  code?: string;
  /** The server's own report, from the first PostgreSQL error in the cause chain. */
  pg?: PgErrorFields;
  /** How many parameters a failed statement had (their values are never logged). */
  params?: number;
  stack?: string;
  cause?: ErrorSummary;
}

export interface PgErrorFields {
  code: string;
  message: string;
  severity?: string;
  detail?: string;
  hint?: string;
  table?: string;
  column?: string;
  constraint?: string;
  routine?: string;
}

const MAX_MESSAGE_CHARS = 1000;
const MAX_DETAIL_CHARS = 200;
const MAX_STACK_LINES = 8;
const MAX_CAUSE_DEPTH = 3;

/**
 * The logger's `err` serializer. Takes an error, or what pino's standard serializer made of one
 * (pino-http wraps custom serializers around it; the original travels in `raw`).
 */
export function serializeError(value: unknown): unknown {
  const raw = typeof value === 'object' && value !== null && 'raw' in value ? (value as { raw: unknown }).raw : value;
  if (!(raw instanceof Error)) return value;
  return summarizeError(raw);
}

export function summarizeError(error: unknown, depth = 0): ErrorSummary {
  if (!(error instanceof Error)) return { type: typeof error, message: bound(String(error), MAX_MESSAGE_CHARS) };
  const fields = error as Error & { code?: unknown; query?: unknown; params?: unknown };
  const summary: ErrorSummary = { type: error.name || error.constructor.name, message: safeMessage(fields) };
  if (typeof fields.code === 'string') summary.code = fields.code;
  if (Array.isArray(fields.params)) summary.params = fields.params.length;
  if (depth === 0) {
    const pg = findPgError(error);
    if (pg) summary.pg = pg;
  }
  // Frames only: the stack's first lines repeat the message, which for Drizzle holds every parameter.
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  if (frames.length > 0)
    summary.stack = frames
      .slice(0, MAX_STACK_LINES)
      .map((line) => bound(line.trim(), MAX_DETAIL_CHARS))
      .join('\n');
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) summary.cause = summarizeError(error.cause, depth + 1);
  return summary;
}

/** A Drizzle query error's message is `Failed query: <sql>\nparams: <every value>`: keep the statement, bounded. */
function safeMessage(error: Error & { query?: unknown; params?: unknown }): string {
  if (typeof error.query === 'string' && Array.isArray(error.params)) {
    return bound(`Failed query: ${error.query}`, MAX_MESSAGE_CHARS);
  }
  return bound(error.message, MAX_MESSAGE_CHARS);
}

/** The SQLSTATE of the first PostgreSQL error in the cause chain (Drizzle wraps driver errors), if any. */
export function postgresErrorCode(error: unknown): string | undefined {
  return error instanceof Error ? findPgError(error)?.code : undefined;
}

/** node-postgres' DatabaseError: a five-character SQLSTATE plus the server's severity. */
function findPgError(error: Error): PgErrorFields | undefined {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current instanceof Error; depth++) {
    const e = current as Error & Record<string, unknown>;
    if (typeof e['code'] === 'string' && /^[0-9A-Z]{5}$/.test(e['code']) && typeof e['severity'] === 'string') {
      const pg: PgErrorFields = { code: e['code'], message: bound(e.message, MAX_MESSAGE_CHARS), severity: e['severity'] };
      for (const key of ['detail', 'hint', 'table', 'column', 'constraint', 'routine'] as const) {
        const value = e[key];
        if (typeof value === 'string' && value !== '') pg[key] = bound(value, MAX_DETAIL_CHARS);
      }
      return pg;
    }
    current = e.cause;
  }
  return undefined;
}

function bound(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
