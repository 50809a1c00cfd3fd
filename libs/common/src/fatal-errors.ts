/** The part of `process` the handlers use (tests pass an EventEmitter of their own). */
export interface FatalErrorTarget {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
  exit(code: number): never;
}

/** Anything with pino's `fatal(details, message)`: the app's logger. */
export interface FatalLogger {
  fatal(details: object, message: string): void;
}

/**
 * After an unhandled rejection or an uncaught exception the process is in a state nobody planned
 * for: log it as one fatal line (through the app's logger, so it is JSON on the app's log stream:
 * stderr for the stdio MCP server) and exit 1, letting the supervisor start a clean process.
 */
export function exitOnFatalErrors(logger: FatalLogger, target: FatalErrorTarget = process): void {
  const fail = (event: string, error: unknown): never => {
    try {
      logger.fatal({ err: error, event }, `${event}: ${error instanceof Error ? error.message : String(error)}; exiting`);
    } catch {
      // A logger that throws must not keep a broken process alive.
    }
    return target.exit(1);
  };
  target.on('unhandledRejection', (reason) => fail('unhandledRejection', reason));
  target.on('uncaughtException', (error) => fail('uncaughtException', error));
}
