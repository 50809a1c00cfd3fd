import { z } from 'zod';

/**
 * How deep a JSON value may nest (objects and arrays, the outermost counting as 1). Deeper input is a
 * 400 before anything walks it: validators, serializers and PostgreSQL's jsonb parser all recurse, and
 * 10,000 levels overflow their stacks.
 */
export const MAX_JSON_DEPTH = 64;

/** An unpaired UTF-16 surrogate: a high one not followed by a low one, or a low one not after a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const UNSTORABLE_TEXT_MESSAGE = 'must not contain U+0000 (NUL) or unpaired surrogates';

/** PostgreSQL's text and jsonb types cannot hold U+0000, and UTF-8 has no encoding for a lone surrogate. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** A string field whose text PostgreSQL can store; chain `.trim()`, `.min()`, `.max()` as usual. */
export function textSchema() {
  return z.string().refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });
}

/**
 * The nesting depth of a JSON value, counted without recursion (so 10,000 levels cannot overflow the
 * stack), stopping as soon as it passes `limit`: the answer is exact up to `limit`, else `limit + 1`.
 */
export function jsonDepth(value: unknown, limit: number = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return limit + 1;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/**
 * The first string (value or key) PostgreSQL could not store, as a path from `value`; null when there
 * is none. Iterative for the same reason as `jsonDepth`.
 */
export function findUnstorableText(value: unknown): (string | number)[] | null {
  const stack: [unknown, (string | number)[]][] = [[value, []]];
  while (stack.length > 0) {
    const [item, path] = stack.pop() as [unknown, (string | number)[]];
    if (typeof item === 'string') {
      if (!isStorableText(item)) return path;
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) stack.push([item[i], [...path, i]]);
    } else if (item !== null && typeof item === 'object') {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i];
        if (!isStorableText(key)) return [...path, key];
        stack.push([child, [...path, key]]);
      }
    }
  }
  return null;
}

/** The largest finite float4 (PostgreSQL `real`, pgvector's element type). */
export const FLOAT4_MAX = 3.4028234663852886e38;

/** True when `value` is finite and stays finite as a float4 (pgvector rejects overflow with an error). */
export function fitsFloat4(value: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= FLOAT4_MAX;
}
