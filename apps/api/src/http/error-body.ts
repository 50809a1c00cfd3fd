import type { Response } from 'express';
import type { ErrorCode } from '@mnemolite/common';
import { ERROR_STATUS } from '@mnemolite/common';

/** The contract's error body: `{"error": {"code", "message", "details"?}}`. */
export function sendError(res: Response, code: ErrorCode, message: string, details?: unknown, status?: number): void {
  const body: { error: { code: ErrorCode; message: string; details?: unknown } } = { error: { code, message } };
  if (details !== undefined) body.error.details = details;
  res.status(status ?? ERROR_STATUS[code]).json(body);
}
