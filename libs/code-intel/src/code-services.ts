import type { Database } from '@mnemolite/db';
import type { Embedder } from '@mnemolite/embeddings';
import { CodeCatalogService } from './catalog/catalog.service';
import { CodeGraphService } from './graph/graph.service';
import { CodeIndexingService } from './indexing/indexing.service';
import { TreeSitterRuntime } from './parsing/tree-sitter-runtime';
import { CodeSearchService } from './search/search.service';

export interface CodeServicesDeps {
  db: Database;
  /** Absolute directories that directory indexing may read (CODE_INDEX_ROOTS); none: every directory is refused. */
  indexRoots: string[];
  /** Embeds each chunk's natural-language rendering (name, signature, docstring). */
  textEmbedder?: Embedder;
  /** Embeds chunk sources and search queries. Without it, searches are lexical. */
  codeEmbedder?: Embedder;
  /** Parsers and queries in WASM memory; created here when not given, and then freed by `close()`. */
  runtime?: TreeSitterRuntime;
}

export interface CodeServices {
  indexing: CodeIndexingService;
  catalog: CodeCatalogService;
  search: CodeSearchService;
  graph: CodeGraphService;
  /** Frees the parsers if they were created here; a runtime given in the deps stays its owner's. */
  close(): Promise<void>;
}

/** The code-intel services over one database, as the API's code feature and the MCP backend use them. */
export function createCodeServices(deps: CodeServicesDeps): CodeServices {
  const runtime = deps.runtime ?? new TreeSitterRuntime();
  const { db, codeEmbedder } = deps;
  return {
    indexing: new CodeIndexingService({ db, runtime, textEmbedder: deps.textEmbedder, codeEmbedder, indexRoots: deps.indexRoots }),
    catalog: new CodeCatalogService({ db }),
    search: new CodeSearchService({ db, codeEmbedder }),
    graph: new CodeGraphService({ db }),
    close: () => (deps.runtime ? Promise.resolve() : runtime.close()),
  };
}
