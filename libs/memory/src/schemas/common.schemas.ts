import { z } from 'zod';

/**
 * A UUID in the 8-4-4-4-12 hex form PostgreSQL accepts (any version), so that a malformed id is a 400
 * here and never reaches the database as an error. Lower-cased, as PostgreSQL writes them.
 */
export const uuidSchema = z
  .guid({ message: 'Expected a UUID.' })
  .transform((id) => id.toLowerCase());

/** ISO-8601 with a zone (`Z` or `±hh:mm`); a time without a zone is ambiguous and rejected. */
export const isoDateTimeSchema = z.iso.datetime({
  offset: true,
  message: 'Expected an ISO-8601 date-time with a zone, e.g. 2026-11-28T10:00:00.000Z.',
});

/**
 * PostgreSQL's jsonb and text types cannot hold U+0000 or unpaired surrogates; such strings are a 400
 * here rather than a database error later.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function storableString(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

function findUnstorable(value: unknown, path: (string | number)[]): (string | number)[] | null {
  if (typeof value === 'string') return storableString(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!storableString(key)) return [...path, key];
      const found = findUnstorable(item, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

/** A JSON object (never an array, null or a scalar) whose strings PostgreSQL can store. */
export const jsonObjectSchema = z
  .record(z.string(), z.unknown(), { message: 'Expected a JSON object.' })
  .superRefine((value, ctx) => {
    const path = findUnstorable(value, []);
    if (path) {
      ctx.addIssue({ code: 'custom', path, message: 'Strings may not contain U+0000 or unpaired surrogates.' });
    }
  });

/** Text stored in a `text` column (graph types, labels, relations). */
export function storableText(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'Must not be empty.')
    .max(max)
    .refine(storableString, 'Must not contain U+0000 or unpaired surrogates.');
}

/**
 * A vector as given by a caller. Its length is checked against the text model by the service (the
 * dimension is the model's, not a constant of the schema); a zero vector has no direction and no
 * cosine distance.
 */
export const vectorSchema = z
  .array(z.number(), { message: 'Expected an array of numbers.' })
  .min(1)
  .max(4096)
  .refine((values) => values.some((value) => value !== 0), 'A zero vector has no direction.');

export const timeRangeIssue = { message: 'ts_start must not be after ts_end.', path: ['ts_start'] };

/** True when both bounds are given and the start is after the end. */
export function startsAfterEnd(range: { ts_start?: string; ts_end?: string }): boolean {
  return range.ts_start !== undefined && range.ts_end !== undefined && Date.parse(range.ts_start) > Date.parse(range.ts_end);
}

/** Parses a JSON text given in a query parameter; invalid JSON becomes a validation issue. */
export function jsonText<T extends z.ZodType>(target: T, what: string) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `${what} must be valid JSON.` });
        return z.NEVER;
      }
    })
    .pipe(target);
}

/** `true` / `false` in a query string (absent means false). */
export const queryBooleanSchema = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

/** An integer given in a query string, validated (never clamped) against its range. */
export function queryInteger(min: number, max: number) {
  return z.coerce
    .number({ message: 'Expected an integer.' })
    .int('Expected an integer.')
    .min(min)
    .max(max);
}
