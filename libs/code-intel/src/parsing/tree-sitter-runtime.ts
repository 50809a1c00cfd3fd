import { readFileSync } from 'node:fs';
import { Language, Parser, Query, type Tree } from 'web-tree-sitter';
import { BRANCH_NODE_TYPES, BRANCH_OPERATORS, GRAMMARS } from './grammars';
import { grammarPath, type ParsedLanguage } from './languages';

/** A loaded grammar with its compiled queries, kept for the runtime's lifetime. */
export interface LoadedGrammar {
  language: ParsedLanguage;
  parser: Parser;
  definitions: Query;
  calls: Query;
  imports: Query;
  branches: Query;
}

let initialised: Promise<void> | undefined;

/**
 * Owns the tree-sitter objects that live in WASM memory (parsers and queries): loaded lazily, one
 * per language, freed together by `close()`. Trees are the caller's to free (`parse` hands one out).
 */
export class TreeSitterRuntime {
  private readonly grammars = new Map<ParsedLanguage, Promise<LoadedGrammar>>();
  private closed = false;

  grammar(language: ParsedLanguage): Promise<LoadedGrammar> {
    if (this.closed) throw new Error('The tree-sitter runtime is closed.');
    let loaded = this.grammars.get(language);
    if (!loaded) {
      loaded = loadGrammar(language);
      this.grammars.set(language, loaded);
    }
    return loaded;
  }

  /** Parses `source`; the caller must `delete()` the tree. */
  async parse(language: ParsedLanguage, source: string): Promise<{ tree: Tree; grammar: LoadedGrammar }> {
    const grammar = await this.grammar(language);
    const tree = grammar.parser.parse(source);
    if (!tree) throw new Error(`tree-sitter could not parse the ${language} source.`);
    return { tree, grammar };
  }

  async close(): Promise<void> {
    this.closed = true;
    const grammars = await Promise.allSettled(this.grammars.values());
    for (const result of grammars) {
      if (result.status !== 'fulfilled') continue;
      const g = result.value;
      g.definitions.delete();
      g.calls.delete();
      g.imports.delete();
      g.branches.delete();
      g.parser.delete();
    }
    this.grammars.clear();
  }
}

async function loadGrammar(language: ParsedLanguage): Promise<LoadedGrammar> {
  initialised ??= Parser.init();
  await initialised;
  // Bytes, not a path: with a path web-tree-sitter imports `fs/promises` dynamically, which Jest's
  // CommonJS runtime refuses.
  const lang = await Language.load(readFileSync(grammarPath(language)));
  const parser = new Parser();
  parser.setLanguage(lang);
  const spec = GRAMMARS[language];
  return {
    language,
    parser,
    definitions: new Query(lang, spec.definitions),
    calls: new Query(lang, spec.calls),
    imports: new Query(lang, spec.imports),
    branches: new Query(lang, branchQuery(lang)),
  };
}

/** One alternation of the branch node types and operators this grammar knows. */
function branchQuery(lang: Language): string {
  const named = BRANCH_NODE_TYPES.filter((type) => lang.idForNodeType(type, true) !== null).map((type) => `(${type})`);
  const operators = BRANCH_OPERATORS.filter((op) => lang.idForNodeType(op, false) !== null).map((op) => JSON.stringify(op));
  return `[${[...named, ...operators].join(' ')}] @branch`;
}
