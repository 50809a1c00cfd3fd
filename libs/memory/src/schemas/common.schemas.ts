import { z } from 'zod';
import { MAX_JSON_DEPTH, UNSTORABLE_TEXT_MESSAGE, findUnstorableText, fitsFloat4, jsonDepth, textSchema } from '@mnemolite/common';

/**
 * A UUID in the 8-4-4-4-12 hex form PostgreSQL accepts (any version), so that a malformed id is a 400
 * here and never reaches the database as an error. Lower-cased, as PostgreSQL writes them.
 */
export const uuidSchema = z.guid({ message: 'Expected a UUID.' }).transform((id) => id.toLowerCase());

/** ISO-8601 with a zone (`Z` or `±hh:mm`); a time without a zone is ambiguous and rejected. */
export const isoDateTimeSchema = z.iso.datetime({
  offset: true,
  message: 'Expected an ISO-8601 date-time with a zone, e.g. 2026-11-28T10:00:00.000Z.',
});

/**
 * A JSON object (never an array, null or a scalar) nested at most MAX_JSON_DEPTH levels, whose strings
 * PostgreSQL can store (no U+0000, no unpaired surrogate, in keys or values).
 */
export const jsonObjectSchema = z.record(z.string(), z.unknown(), { message: 'Expected a JSON object.' }).superRefine((value, ctx) => {
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    ctx.addIssue({ code: 'custom', message: `nests deeper than the limit of ${MAX_JSON_DEPTH} levels (MAX_JSON_DEPTH)` });
    return;
  }
  const path = findUnstorableText(value);
  if (path) ctx.addIssue({ code: 'custom', path, message: `Strings ${UNSTORABLE_TEXT_MESSAGE}.` });
});

/** Text stored in a `text` column (graph types, labels, relations). */
export function storableText(max: number) {
  return textSchema().trim().min(1, 'Must not be empty.').max(max);
}

/**
 * A vector as given by a caller. Its length is checked against the text model by the service (the
 * dimension is the model's, not a constant of the schema). Values are stored as float4: each must be
 * finite there (|x| <= 3.4028234663852886e38); a vector that is zero once in float4 has no direction
 * and no cosine distance.
 */
export const vectorSchema = z
  .array(z.number().refine(fitsFloat4, 'must be a finite number within the float4 range (|x| <= 3.4028234663852886e38)'), {
    message: 'Expected an array of numbers.',
  })
  .min(1)
  .max(4096)
  .refine((values) => values.some((value) => Math.fround(value) !== 0), 'A zero vector has no direction.');

export const timeRangeIssue = { message: 'ts_start must not be after ts_end.', path: ['ts_start'] };

/** True when both bounds are given and the start is after the end. */
export function startsAfterEnd(range: { ts_start?: string; ts_end?: string }): boolean {
  return range.ts_start !== undefined && range.ts_end !== undefined && Date.parse(range.ts_start) > Date.parse(range.ts_end);
}

/**
 * Parses a JSON text given in a query parameter; invalid JSON, or JSON nested deeper than
 * MAX_JSON_DEPTH, becomes a validation issue.
 */
export function jsonText<T extends z.ZodType>(target: T, what: string) {
  return z
    .string()
    .transform((text, ctx) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: `${what} must be valid JSON.` });
        return z.NEVER;
      }
      if (jsonDepth(value) > MAX_JSON_DEPTH) {
        ctx.addIssue({ code: 'custom', message: `${what} nests deeper than the limit of ${MAX_JSON_DEPTH} levels (MAX_JSON_DEPTH).` });
        return z.NEVER;
      }
      return value;
    })
    .pipe(target);
}

/** `true` / `false` in a query string (absent means false). */
export const queryBooleanSchema = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

/** An integer given in a query string, validated (never clamped) against its range. */
export function queryInteger(min: number, max: number) {
  return z.coerce.number({ message: 'Expected an integer.' }).int('Expected an integer.').min(min).max(max);
}
