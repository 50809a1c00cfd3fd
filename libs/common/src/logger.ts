import pino, { type Logger, type LoggerOptions } from 'pino';
import { serializeError } from './error-summary';

export type { Logger } from 'pino';

export interface LoggerConfig {
  level: string;
  /** Service name put on every line (`api`, `worker`, ...). */
  name: string;
}

/** Secrets never reach the log, whatever object they travel in. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  '*.password',
  '*.apiKey',
  '*.databaseUrl',
  'config.apiKey',
  'config.databaseUrl',
  // A server's DatabaseConfig (settings.ts): its URL may hold a password.
  'database.url',
  '*.database.url',
];

/** The one logger factory: JSON lines on stdout, secrets redacted, child loggers per module. */
export function createLogger(config: LoggerConfig, destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    name: config.name,
    level: config.level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Errors are logged bounded and without their payloads (see error-summary.ts).
    serializers: { err: serializeError },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
