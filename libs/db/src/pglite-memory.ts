import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PGLITE_SHARED_BUFFERS_MB, type EmbeddedDatabaseConfig } from '@mnemolite/common';

/*
 * How much of the store the embedded engine keeps in its own memory (PostgreSQL's `shared_buffers`).
 *
 * PGlite reads every page it does not hold through the JavaScript file system, a call and a copy per
 * 8 kB page. With PGlite's default of 128 MB, a 100,000-event store (1.3 GB, 391 MB of them HNSW graphs)
 * read most pages of every search that way: vector search p50 281 ms; with 1 GB, 90 ms (SEARCH.md,
 * "The embedded engine's page cache"). The pool is allocated whole at start (the process's resident
 * memory grows by about its size), so `auto` sizes it to the store, not to the largest store.
 */

const MB = 1024 * 1024;
/** `auto` rounds up to this step, so that a few more events do not change the setting at every start. */
const AUTO_STEP_MB = 64;

/** The shared_buffers (MB) the embedded engine in `dataDir` starts with. */
export function resolvePgliteSharedBuffersMb(dataDir: string, setting: EmbeddedDatabaseConfig['sharedBuffersMb'] = 'auto'): number {
  if (setting !== 'auto') return setting;
  if (dataDir.startsWith('memory://')) return PGLITE_SHARED_BUFFERS_MB.min;
  const stepped = Math.ceil(databaseFilesBytes(dataDir) / MB / AUTO_STEP_MB) * AUTO_STEP_MB;
  return Math.min(PGLITE_SHARED_BUFFERS_MB.autoMax, Math.max(PGLITE_SHARED_BUFFERS_MB.min, stepped));
}

/** Bytes of the tables and indexes in a PostgreSQL data directory (its `base/`); 0 before initdb. */
export function databaseFilesBytes(dataDir: string): number {
  return directoryBytes(join(dataDir, 'base'));
}

function directoryBytes(dir: string): number {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let bytes = 0;
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += directoryBytes(path);
    else if (entry.isFile()) bytes += statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  }
  return bytes;
}
