import { parseFile } from '../parsing/parse-file';
import { detectLanguage, isParsedLanguage } from '../parsing/languages';
import { TreeSitterRuntime } from '../parsing/tree-sitter-runtime';
import { resolveRepositoryGraph, type GraphDefinition, type GraphFile } from './call-resolver';

/** Parses a small repository and returns its resolved calls as `caller -> callee` strings. */
async function resolvedCalls(runtime: TreeSitterRuntime, sources: Record<string, string>): Promise<{ calls: string[]; imports: string[] }> {
  const files: GraphFile[] = [];
  const definitions: GraphDefinition[] = [];
  const labels = new Map<string, string>();
  for (const [path, source] of Object.entries(sources)) {
    const language = detectLanguage(path);
    if (!isParsedLanguage(language)) throw new Error(path);
    const parsed = await parseFile(runtime, language, source);
    files.push({ id: path, path, imports: parsed.imports, calls: parsed.topLevelCalls });
    labels.set(path, path);
    parsed.definitions.forEach((def, i) => {
      const id = `${path}#${i}`;
      labels.set(id, def.qualifiedName);
      definitions.push({ id, filePath: path, name: def.name, qualifiedName: def.qualifiedName, calls: def.calls });
    });
  }
  const { edges } = resolveRepositoryGraph(files, definitions);
  const show = (relation: string) =>
    edges
      .filter((edge) => edge.relation === relation)
      .map((edge) => `${labels.get(edge.source)} -> ${labels.get(edge.target)}`)
      .sort();
  return { calls: show('calls'), imports: show('imports') };
}

describe('call resolution through imports in several languages', () => {
  const runtime = new TreeSitterRuntime();
  afterAll(() => runtime.close());

  it('Go: package imports by path suffix, calls through the package name', async () => {
    const result = await resolvedCalls(runtime, {
      'cmd/app/main.go': 'package main\n\nimport "example.com/shop/internal/store"\n\nfunc main() {\n\tstore.Open()\n}\n',
      'internal/store/store.go': 'package store\n\nfunc Open() {}\n',
      'internal/other/other.go': 'package other\n\nfunc Open() {}\n',
    });
    expect(result.calls).toEqual(['main -> Open']);
    expect(result.imports).toEqual(['cmd/app/main.go -> internal/store/store.go']);
  });

  it('Java: class imports, with a same-named method elsewhere', async () => {
    const result = await resolvedCalls(runtime, {
      'src/main/java/shop/App.java': 'package shop;\nimport shop.util.Money;\nclass App { void run() { Money.format(1); } }\n',
      'src/main/java/shop/util/Money.java': 'package shop.util;\npublic class Money { static String format(int x) { return ""; } }\n',
      'src/main/java/shop/Other.java': 'package shop;\nclass Other { String format(int x) { return ""; } }\n',
    });
    expect(result.calls).toEqual(['App.run -> Money.format']);
  });

  it('Rust, Ruby and PHP: use paths, require_relative and namespaces', async () => {
    const rust = await resolvedCalls(runtime, {
      'src/main.rs': 'use crate::net::connect;\nfn main() { connect(); }\n',
      'src/net.rs': 'pub fn connect() {}\n',
      'src/db.rs': 'pub fn connect() {}\n',
    });
    expect(rust.calls).toEqual(['main -> connect']);
    const ruby = await resolvedCalls(runtime, {
      'lib/app.rb': "require_relative 'util'\ndef run\n  helper(1)\nend\n",
      'lib/util.rb': 'def helper(x)\n  x\nend\n',
      'lib/other.rb': 'def helper(x)\n  x\nend\n',
    });
    expect(ruby.calls).toEqual(['run -> helper']);
    const php = await resolvedCalls(runtime, {
      'src/App.php': '<?php\nuse Shop\\Util\\Money;\nfunction run() { Money::format(1); }\n',
      'src/Util/Money.php': '<?php\nnamespace Shop\\Util;\nclass Money { public static function format($x) {} }\n',
      'src/Other.php': '<?php\nclass Other { public function format($x) {} }\n',
    });
    expect(php.calls).toEqual(['run -> Money.format']);
  });

  it('TypeScript: .js specifiers of .ts files, index files, aliases and default imports', async () => {
    const result = await resolvedCalls(runtime, {
      'src/main.ts':
        "import { load as fetchIt } from './api/index.js';\nimport save from './store';\nexport function main() { fetchIt(); save(); }\n",
      'src/api/index.ts': 'export function load() {}\n',
      'src/store/index.ts': 'export default function save() {}\n',
      'src/other.ts': 'export function load() {}\nexport function save() {}\n',
    });
    expect(result.calls).toEqual(['main -> load', 'main -> save']);
    expect(result.imports).toEqual(['src/main.ts -> src/api/index.ts', 'src/main.ts -> src/store/index.ts']);
  });
});
