import type { Response } from 'express';
import type { ErrorCode } from '@mnemolite/common';
import { ERROR_STATUS } from '@mnemolite/common';

/** Seconds a client should wait before retrying a 503: the database is probed every 250 ms. */
export const RETRY_AFTER_SECONDS = 1;

/** The contract's error body: `{"error": {"code", "message", "details"?}}`; a 503 says when to retry. */
export function sendError(res: Response, code: ErrorCode, message: string, details?: unknown, status?: number): void {
  if (code === 'unavailable' && !res.hasHeader('Retry-After')) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  const body: { error: { code: ErrorCode; message: string; details?: unknown } } = { error: { code, message } };
  if (details !== undefined) body.error.details = details;
  res.status(status ?? ERROR_STATUS[code]).json(body);
}
