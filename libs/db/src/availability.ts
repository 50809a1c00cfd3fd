/**
 * Whether the database can be reached, and what to do while it cannot.
 *
 * A connection-level failure (the server shut down, restarted, refused or dropped the connection)
 * does not stop the process: it marks the database suspect, one fresh connection checks it, and if
 * that fails too the database is `unavailable` until a probe every `probeIntervalMs` succeeds.
 * Callers ask `available` to answer 503 at once rather than queue work on a dead pool.
 */

/** SQLSTATEs and socket errors that mean "no usable connection", not "this statement failed". */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03']);
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** Messages node-postgres and pg-pool use for a connection that is gone (they carry no code). */
const CONNECTION_MESSAGES = [/^Connection terminated/, /is not queryable/, /^timeout exceeded when trying to connect/];

/**
 * True when the error, or one of its causes (Drizzle wraps driver errors), says the connection to
 * the server is gone or cannot be made: admin shutdown or crash (57P01/57P02), the server starting
 * or stopping (57P03), any connection-exception class 08 SQLSTATE, a refused or reset socket.
 */
export function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (CONNECTION_SQLSTATES.has(code) || CONNECTION_ERRNOS.has(code)) return true;
      if (/^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    const message = current.message;
    if (CONNECTION_MESSAGES.some((pattern) => pattern.test(message))) return true;
    current = current.cause;
  }
  return false;
}

export type AvailabilityEvent = { state: 'unavailable'; error: unknown } | { state: 'available'; unavailableForMs: number };

export interface AvailabilityOptions {
  /** How often a down database is probed; recovery is noticed within about this long. */
  probeIntervalMs?: number;
}

export class DatabaseAvailability {
  private downSince: number | null = null;
  private checking = false;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<(event: AvailabilityEvent) => void>();
  private readonly probeIntervalMs: number;

  /** `probe` opens a fresh connection and runs a trivial query; null for an engine that cannot go away. */
  constructor(
    private readonly probe: (() => Promise<void>) | null,
    options: AvailabilityOptions = {},
  ) {
    this.probeIntervalMs = options.probeIntervalMs ?? 250;
  }

  get available(): boolean {
    return this.downSince === null;
  }

  /** Milliseconds since the database became unavailable; null while it is available. */
  unavailableForMs(): number | null {
    return this.downSince === null ? null : Date.now() - this.downSince;
  }

  /** Subscribes to state changes (for logs and metrics); returns the unsubscribe function. */
  onChange(listener: (event: AvailabilityEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Tells the monitor about a failure. Returns whether it was a connection error; if so and the
   * database was thought available, one fresh connection decides whether it is down.
   */
  report(error: unknown): boolean {
    if (!isConnectionError(error)) return false;
    if (!this.probe || this.closed || this.downSince !== null || this.checking) return true;
    this.checking = true;
    this.probe().then(
      () => {
        this.checking = false;
      },
      () => {
        this.checking = false;
        this.markDown(error);
      },
    );
    return true;
  }

  /** Stops probing (the handle is closing). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private markDown(error: unknown): void {
    if (this.closed || this.downSince !== null) return;
    this.downSince = Date.now();
    this.emit({ state: 'unavailable', error });
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.closed || !this.probe) return;
    const probe = this.probe;
    this.timer = setTimeout(() => {
      probe().then(
        () => {
          if (this.closed || this.downSince === null) return;
          const unavailableForMs = Date.now() - this.downSince;
          this.downSince = null;
          this.emit({ state: 'available', unavailableForMs });
        },
        () => this.scheduleProbe(),
      );
    }, this.probeIntervalMs);
    this.timer.unref();
  }

  private emit(event: AvailabilityEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

export interface StartupRetryOptions {
  /** Give up after this long (0: a single attempt). */
  limitMs: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each wait, e.g. to log and to say why the service is not ready yet. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/**
 * Runs `task` (migrations, the first query) and, while it fails because the database cannot be
 * reached, runs it again with exponential backoff until `limitMs` has passed. Any other failure
 * (bad SQL, a missing extension) is thrown at once.
 */
export async function retryWhileUnreachable<T>(task: () => Promise<T>, options: StartupRetryOptions): Promise<T> {
  const deadline = Date.now() + options.limitMs;
  let delayMs = options.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (!isConnectionError(error)) throw error;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new DatabaseUnreachableError(options.limitMs, attempt, error);
      }
      const wait = Math.min(delayMs, remaining);
      options.onRetry?.({ attempt, delayMs: wait, error });
      await new Promise((resolve) => setTimeout(resolve, wait));
      delayMs = Math.min(delayMs * 2, options.maxDelayMs ?? 5000);
    }
  }
}

export class DatabaseUnreachableError extends Error {
  constructor(limitMs: number, attempts: number, cause: unknown) {
    super(
      `the database could not be reached in ${Math.round(limitMs / 1000)} s (${attempts} attempt${attempts === 1 ? '' : 's'}): ${rootMessage(cause)}`,
      { cause },
    );
    this.name = 'DatabaseUnreachableError';
  }
}

/** The driver's own message: Drizzle's wrapper repeats the whole statement and its parameters. */
function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
