import { z } from 'zod';
import { isStorableText, textSchema } from '@mnemolite/common';
import { languageName, nameText, repositoryName } from './common.schemas';

/** Most files one indexing request may carry. */
export const MAX_BATCH_FILES = 500;

/**
 * A file's path inside its repository: relative (no leading `/` or `\\`, no drive letter) and with no
 * `.` or `..` segment, so it can never name a file outside the repository.
 */
function isRepositoryRelative(value: string): boolean {
  if (/^[/\\]/.test(value) || /^[A-Za-z]:/.test(value)) return false;
  return value.split(/[/\\]/).every((segment) => segment !== '..' && segment !== '.');
}

export const indexFileSchema = z.object({
  path: nameText(1024)
    .refine(isRepositoryRelative, 'must be relative to the repository, without "." or ".." segments')
    .describe('Path of the file in the repository: relative, no `.` or `..` segments, no control characters.'),
  // U+0000 marks a binary file: it is reported in `errors` (files_failed), like binaries found on disk,
  // rather than failing the whole batch. An unpaired surrogate has no UTF-8 form at all: 400.
  content: z
    .string()
    .refine((value) => isStorableText(value.replaceAll('\u0000', '')), 'must not contain unpaired surrogates')
    .describe(
      'The file text (at most 1 MiB; no unpaired surrogates). A file containing U+0000 is binary: reported in `errors`, not indexed.',
    ),
  language: languageName.optional().describe('Overrides detection by extension.'),
});

export const indexRequestSchema = z
  .object({
    repository: repositoryName,
    files: z.array(indexFileSchema).min(1).max(MAX_BATCH_FILES).optional().describe(`1 to ${MAX_BATCH_FILES} files, each at most 1 MiB.`),
    path: nameText(4096).optional().describe('A directory on the server, inside CODE_INDEX_ROOTS.'),
    commit: textSchema().max(200).optional(),
    embeddings: z.boolean().optional().default(true),
    graph: z.boolean().optional().default(true),
  })
  .refine((body) => (body.files === undefined) !== (body.path === undefined), {
    message: 'Give either "files" or "path", not both and not neither.',
    path: ['files'],
  })
  .meta({ id: 'CodeIndexRequest' });

export const indexReportSchema = z
  .object({
    repository: z.string(),
    files_indexed: z.number().int(),
    files_unchanged: z.number().int(),
    files_failed: z.number().int(),
    chunks: z.number().int(),
    nodes: z.number().int(),
    edges: z.number().int(),
    errors: z.array(z.object({ path: z.string(), error: z.string() })),
    took_ms: z.number().int(),
  })
  .meta({ id: 'CodeIndexReport' });

export type IndexFileInput = z.infer<typeof indexFileSchema>;
export type IndexReport = z.infer<typeof indexReportSchema>;
