export * from './app-error';
export { createLogger, type Logger, type LoggerConfig } from './logger';
