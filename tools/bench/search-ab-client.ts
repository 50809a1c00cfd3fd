/**
 * One side of `bench:search-ab`: runs a list of search requests through the `SearchService` of the tree
 * it is copied into, on a store filled beforehand, and writes each request's time and result ids.
 * Only `@mnemolite/*` packages are imported, so a copy placed in another checkout measures that
 * checkout's code. Not meant to be run by hand (see search-ab.ts).
 *
 * `node --import tsx search-ab-client.ts <requests.json> <out.json>`; the store is `DATABASE_URL` (a
 * PostgreSQL database) or `MNEMO_DATA_DIR` (a PGlite directory).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_NAMESPACE } from '@mnemolite/common';
import { createDb } from '@mnemolite/db';
import { HashEmbedder } from '@mnemolite/embeddings';
import { SearchService, searchRequestSchema } from '@mnemolite/memory';

/** Untimed requests first, so that both sides start with warm caches and a compiled process. */
const WARM_UP = 30;

async function main(): Promise<void> {
  const [requestsFile, outFile] = process.argv.slice(2);
  const requests = (JSON.parse(readFileSync(requestsFile, 'utf8')) as { body: unknown }[]).map((request) =>
    searchRequestSchema.parse(request.body),
  );
  const url = process.env['DATABASE_URL'];
  const handle = url
    ? await createDb({ engine: 'postgres', url, poolMax: 2 })
    : await createDb({ engine: 'pglite', dataDir: process.env['MNEMO_DATA_DIR'] as string });
  try {
    const search = new SearchService({ db: handle.db, textEmbedder: new HashEmbedder(768) });
    for (let i = 0; i < Math.min(WARM_UP, requests.length); i++) {
      await search.search(DEFAULT_NAMESPACE, requests[Math.floor((i * requests.length) / WARM_UP)]);
    }
    const measured: { ms: number; ids: string[] }[] = [];
    for (const request of requests) {
      const started = performance.now();
      const response = await search.search(DEFAULT_NAMESPACE, request);
      measured.push({ ms: performance.now() - started, ids: response.results.map((result) => result.event.id) });
    }
    writeFileSync(outFile, JSON.stringify(measured));
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
