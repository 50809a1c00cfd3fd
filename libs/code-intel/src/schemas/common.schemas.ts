import { z } from 'zod';
import { textSchema } from '@mnemolite/common';

/** Control characters (NUL included) have no place in names and paths. */
function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) < 0x20 || value.charCodeAt(i) === 0x7f) return true;
  return false;
}

/** Text that names something (a path, a symbol): storable and free of control characters. */
export function nameText(max: number) {
  return textSchema()
    .min(1)
    .max(max)
    .refine((value) => !hasControlCharacters(value), 'must not contain control characters');
}

/**
 * Repository names: one or more segments of letters, digits, `.`, `_` and `-`, each starting with a
 * letter or digit, separated by single `/` (`shop`, `acme/shop`, `my_lib.v2`). So no spaces, no `..`,
 * no leading or trailing `/`.
 */
const REPOSITORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

export const repositoryName = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(REPOSITORY_NAME, 'must be letters, digits, ".", "_" and "-" (segments starting with a letter or digit, separated by single "/")')
  .describe('Repository name, as given when indexing: `[A-Za-z0-9][A-Za-z0-9._-]*` segments joined by `/`, at most 200 characters.');

export const languageName = z.string().regex(/^[a-z0-9+#_-]{1,32}$/, 'must be a lower-case language id such as "typescript" or "python"');

/** Query-string integers: digits only, so `1.5`, `1e3` or `abc` are a 400 rather than coerced. */
export function intParam(min: number, max: number, fallback: number) {
  return z
    .string()
    .regex(/^\d+$/, 'must be an integer')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .optional()
    .transform((value) => value ?? fallback);
}
