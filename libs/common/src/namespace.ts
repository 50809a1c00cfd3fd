import { z } from 'zod';

/** The namespace a request uses when it names none, and the one existing rows were moved into. */
export const DEFAULT_NAMESPACE = 'default';

/** The header a request names its namespace with (API.md: 1-64 characters of `[A-Za-z0-9._-]`). */
export const NAMESPACE_HEADER = 'X-Namespace';

export const NAMESPACE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** A namespace name: the tenant boundary of every stored row, and the distribution key at scale. */
export const namespaceSchema = z.string().regex(NAMESPACE_PATTERN, 'A namespace is 1-64 characters of letters, digits, ".", "_" or "-".');

export function isNamespace(value: unknown): value is string {
  return typeof value === 'string' && NAMESPACE_PATTERN.test(value);
}
