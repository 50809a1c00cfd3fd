import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isAppError, type Logger } from '@mnemolite/common';
import { ZodError } from 'zod';

/** A successful tool result: the structured object, and a short text rendering for the model. */
export function ok(structured: Record<string, unknown>, text: string): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** A failed tool call: `isError` and one message saying what to change. Never a protocol error. */
export function failure(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

function fieldIssues(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details
    .filter((item): item is { path: string; message: string } => typeof item === 'object' && item !== null && 'message' in item)
    .map((item) => (item.path ? `"${item.path}": ${item.message}` : item.message));
}

function describe(error: unknown): string | null {
  if (error instanceof ZodError) {
    const issues = error.issues.map((issue) => (issue.path.length ? `"${issue.path.join('.')}": ${issue.message}` : issue.message));
    return `Invalid arguments: ${issues.join('; ')}`;
  }
  if (isAppError(error)) {
    if (error.code === 'internal') return null;
    const issues = fieldIssues(error.details);
    const field =
      issues.length === 0 && error.details && typeof error.details === 'object' && 'path' in error.details
        ? ` (field "${String((error.details as { path: unknown }).path)}")`
        : '';
    return issues.length ? `${error.message} ${issues.join('; ')}` : `${error.message}${field}`;
  }
  return null;
}

/**
 * Runs a tool body and turns any error into a tool result: known errors (validation, not found,
 * conflict, forbidden, unavailable) keep their message; anything else is logged in full and
 * answered with a generic sentence, so no stack trace or SQL ever reaches the model.
 */
export async function runTool(name: string, logger: Logger | undefined, body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body();
  } catch (error) {
    const message = describe(error);
    if (message !== null) return failure(message);
    logger?.error({ err: error, tool: name }, 'MCP tool failed');
    return failure(
      `The tool "${name}" failed with an internal error; nothing more can be said here (the server log has the details). Retrying later may help.`,
    );
  }
}

/** One line of text, cut to `max` characters. */
export function snippet(value: unknown, max = 160): string {
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "1 memory", "2 memories": counts in the text renderings read as sentences. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
