import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ForbiddenError, NotFoundError, ValidationError } from '@mnemolite/common';

/** True when `child` is `parent` or inside it (both absolute, normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Checks a directory to index against the allowed roots and returns its real path and the real
 * root it lies in. `..` segments are refused outright; the path must lie inside a root both as
 * written and once symlinks are resolved, so a link can never lead the indexer elsewhere.
 */
export async function resolveIndexDirectory(requested: string, roots: string[]): Promise<{ directory: string; root: string }> {
  if (roots.length === 0) {
    throw new ForbiddenError('Directory indexing is disabled: no CODE_INDEX_ROOTS are configured.');
  }
  if (!isAbsolute(requested)) throw new ValidationError(`The path must be absolute, got "${requested}".`);
  if (requested.split(/[\\/]+/).includes('..')) {
    throw new ForbiddenError(`The path "${requested}" contains "..": directory indexing never leaves CODE_INDEX_ROOTS.`);
  }
  const lexical = resolve(requested);
  const lexicalRoot = roots.find((root) => isInside(resolve(root), lexical));
  if (!lexicalRoot) throw new ForbiddenError(`The path "${requested}" is outside CODE_INDEX_ROOTS.`);

  let directory: string;
  try {
    directory = await realpath(lexical);
  } catch {
    throw new NotFoundError(`The directory "${requested}" does not exist.`);
  }
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => null)));
  const root = realRoots.find((real): real is string => real !== null && isInside(real, directory));
  if (!root) throw new ForbiddenError(`The path "${requested}" leads outside CODE_INDEX_ROOTS through a symbolic link.`);
  if (!(await stat(directory)).isDirectory()) throw new ValidationError(`The path "${requested}" is not a directory.`);
  return { directory, root };
}
