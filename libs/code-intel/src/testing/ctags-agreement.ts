import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { chunkParsedFile } from '../chunking/chunk-file';
import { detectLanguage, isParsedLanguage } from '../parsing/languages';
import { parseFile } from '../parsing/parse-file';
import type { TreeSitterRuntime } from '../parsing/tree-sitter-runtime';

const run = promisify(execFile);

export interface CtagsTag {
  name: string;
  path: string;
  line: number;
  kind: string;
  scope?: string;
  scopeKind?: string;
}

/**
 * The ctags kinds that name functions, methods and classes (and interfaces, traits, structs) per
 * language, i.e. what our chunks must cover. Left out on purpose: variables and constants (ctags
 * lists arrow-function constants as such, and every other constant too), fields, properties,
 * typedefs, enumerators, macros, namespaces/packages, and interface method signatures (Go
 * `methodSpec`): none of these is a chunk.
 */
export const CTAGS_KINDS: Record<string, string[]> = {
  python: ['function', 'member', 'class'],
  javascript: ['function', 'method', 'class', 'generator', 'getter', 'setter'],
  typescript: ['function', 'method', 'class', 'interface'],
  tsx: ['function', 'method', 'class', 'interface'],
  go: ['func', 'struct', 'interface'],
  java: ['method', 'class', 'interface', 'enum'],
  rust: ['function', 'method', 'struct', 'interface', 'enum'],
  c: ['function', 'struct', 'union'],
  cpp: ['function', 'class', 'struct', 'union'],
  csharp: ['method', 'class', 'interface', 'struct'],
  ruby: ['method', 'singletonMethod', 'class', 'module'],
  php: ['function', 'class', 'interface', 'trait'],
};

/** Runs Universal Ctags on files (paths relative to `cwd`), in batches to keep argument lists short. */
export async function runCtags(files: string[], cwd: string): Promise<CtagsTag[]> {
  const tags: CtagsTag[] = [];
  for (let i = 0; i < files.length; i += 200) {
    const { stdout } = await run(
      'ctags',
      [
        '--output-format=json',
        '--sort=no',
        '--fields=-P+nKzSe',
        '--extras=-{anonymous}',
        '--map-TypeScript=+.tsx',
        '-f',
        '-',
        ...files.slice(i, i + 200),
      ],
      { cwd, maxBuffer: 512 * 1024 * 1024 },
    );
    for (const line of stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as CtagsTag & { _type?: string };
      if (entry._type === 'tag')
        tags.push({
          name: entry.name,
          path: entry.path,
          line: entry.line,
          kind: entry.kind,
          scope: entry.scope,
          scopeKind: entry.scopeKind,
        });
    }
  }
  return tags;
}

export interface AgreementReport {
  /** Per language: tags ctags listed (of the counted kinds) and how many a chunk matches. */
  languages: Record<string, { tags: number; matched: number; ratio: number }>;
  tags: number;
  matched: number;
  ratio: number;
  missing: CtagsTag[];
}

/**
 * Agreement of our chunks with ctags. A tag of a counted kind matches when a chunk of the same file
 * has the same name (the last `::`/`.` segment, as ctags names nested items) and the tag's line lies
 * between the chunk's start line and the line of its name: ctags tags the name's line, our chunk
 * also covers the decorators, annotations and prefixes (`export`, `@Override`) above it, and in
 * TypeScript the overload signatures before an implementation.
 */
export async function measureAgreement(runtime: TreeSitterRuntime, files: string[], cwd: string): Promise<AgreementReport> {
  // Declaration files (`.d.ts`) hold bodiless signatures only, which are not chunks by policy.
  const parsed = files.filter((file) => isParsedLanguage(detectLanguage(file)) && !/\.d\.[cm]?ts$/.test(file));
  const tags = await runCtags(parsed, cwd);
  const byFile = new Map<string, CtagsTag[]>();
  for (const tag of tags) {
    const list = byFile.get(tag.path) ?? [];
    list.push(tag);
    byFile.set(tag.path, list);
  }
  const report: AgreementReport = { languages: {}, tags: 0, matched: 0, ratio: 1, missing: [] };
  for (const file of parsed) {
    const language = detectLanguage(file);
    if (!isParsedLanguage(language)) continue;
    const kinds = CTAGS_KINDS[language];
    const source = await readFile(`${cwd}/${file}`, 'utf8');
    const lines = source.split('\n');
    const counted = (byFile.get(file) ?? []).filter(
      (tag) => kinds.includes(tag.kind) && !isObjectLiteralClass(language, tag, lines) && !isInterfaceSignature(language, tag, lines),
    );
    if (counted.length === 0) continue;
    const parsedFile = await parseFile(runtime, language, source);
    const chunks = chunkParsedFile(file, source, parsedFile);
    const spans = chunks
      .filter((chunk) => chunk.definition >= 0)
      .map((chunk) => ({
        name: shortName(chunk.name),
        start: chunk.startLine,
        nameLine: parsedFile.definitions[chunk.definition].nameLine,
      }));
    const stats = (report.languages[language] ??= { tags: 0, matched: 0, ratio: 1 });
    for (const tag of counted) {
      const name = shortName(tag.name);
      const hit = spans.some((span) => span.name === name && span.start <= tag.line && tag.line <= span.nameLine);
      stats.tags += 1;
      report.tags += 1;
      if (hit) {
        stats.matched += 1;
        report.matched += 1;
      } else report.missing.push(tag);
    }
  }
  for (const stats of Object.values(report.languages)) stats.ratio = stats.tags === 0 ? 1 : stats.matched / stats.tags;
  report.ratio = report.tags === 0 ? 1 : report.matched / report.tags;
  return report;
}

/** Private members (`#name`) are tagged by ctags without their `#`. */
function shortName(name: string): string {
  const parts = name.split(/::|\./);
  return parts[parts.length - 1].replace(/^#/, '');
}

/**
 * Method signatures without a body in a TypeScript interface or a Rust trait (ctags kind `interface`)
 * are part of the interface chunk, like Go's `methodSpec`: a member counts only when its line opens a body.
 */
function isInterfaceSignature(language: string, tag: CtagsTag, lines: string[]): boolean {
  if (!['typescript', 'tsx', 'rust'].includes(language) || tag.scopeKind !== 'interface') return false;
  return !(lines[tag.line - 1] ?? '').includes('{');
}

/**
 * ctags' JavaScript parser reports object literals assigned to a name (`const options = {`) with
 * the kind `class`; they are not classes. A JavaScript `class` tag counts only when its line
 * declares `class NAME`.
 */
function isObjectLiteralClass(language: string, tag: CtagsTag, lines: string[]): boolean {
  if (language !== 'javascript' || tag.kind !== 'class') return false;
  const line = lines[tag.line - 1] ?? '';
  const at = line.search(/\bclass\s/);
  return (
    at < 0 ||
    !line
      .slice(at + 6)
      .trimStart()
      .startsWith(tag.name)
  );
}
