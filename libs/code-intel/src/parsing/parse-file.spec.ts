import { parseFile } from './parse-file';
import { TreeSitterRuntime } from './tree-sitter-runtime';
import type { ParsedLanguage } from './languages';
import { detectLanguage } from './languages';

describe('parseFile', () => {
  const runtime = new TreeSitterRuntime();
  afterAll(() => runtime.close());

  const parse = (language: ParsedLanguage, source: string) => parseFile(runtime, language, source);
  const names = async (language: ParsedLanguage, source: string) =>
    (await parse(language, source)).definitions.map((def) => `${def.chunkType} ${def.qualifiedName} ${def.startLine}-${def.endLine}`);

  it('detects the 12 languages by extension and falls back for others', () => {
    const detected = [
      'a.ts',
      'a.tsx',
      'a.js',
      'a.mjs',
      'a.cjs',
      'a.jsx',
      'a.py',
      'a.go',
      'a.java',
      'a.rs',
      'a.c',
      'a.cpp',
      'a.cs',
      'a.rb',
      'a.php',
    ].map(detectLanguage);
    expect(new Set(detected)).toEqual(
      new Set(['typescript', 'tsx', 'javascript', 'python', 'go', 'java', 'rust', 'c', 'cpp', 'csharp', 'ruby', 'php']),
    );
    expect(detectLanguage('notes.md')).toBe('markdown');
    expect(detectLanguage('Makefile')).toBe('text');
  });

  it('extracts TypeScript functions, arrow consts, classes with qualified methods, interfaces and overloads', async () => {
    const source = [
      'export function add(a: number, b: number): number { return a + b; }',
      'export const mul = (a: number, b: number) => a * b;',
      'export class Calc {',
      '  sum(xs: number[]): number { return xs.reduce(add, 0); }',
      '  #secret() {}',
      '}',
      'export interface Shape { area(): number }',
      'function over(x: string): void;',
      'function over(x: any) {}',
    ].join('\n');
    expect(await names('typescript', source)).toEqual([
      'function add 1-1',
      'function mul 2-2',
      'class Calc 3-6',
      'method Calc.sum 4-4',
      'method Calc.#secret 5-5',
      'interface Shape 7-7',
      'function over 8-9',
    ]);
  });

  it('records signature, parameters, return type, docstring, complexity and calls', async () => {
    const source = [
      '/**',
      ' * Finds a user.',
      ' */',
      'export async function findUser(id: string, opts?: Options): Promise<User> {',
      '  if (!id || opts?.strict) throw new Error("x");',
      '  for (const s of sources) { if (s.has(id)) return s.get(id); }',
      '  return db.users.load(id) ?? fallback(id);',
      '}',
    ].join('\n');
    const [def] = (await parse('typescript', source)).definitions;
    expect(def).toMatchObject({
      name: 'findUser',
      startLine: 1 + 3,
      endLine: 8,
      signature: 'async function findUser(id: string, opts?: Options): Promise<User>',
      parameters: ['id: string', 'opts?: Options'],
      returnType: 'Promise<User>',
      docstring: 'Finds a user.',
      // 1 + if + || + for + if + ??
      complexity: 6,
    });
    expect(def.calls.sort()).toEqual(['Error', 'db.users.load', 'fallback', 's.get', 's.has']);
  });

  it('handles Python decorators, docstrings, nesting and imports', async () => {
    const source = [
      'from .tax import compute_tax as tax, rate',
      'import os.path',
      '',
      'class Invoice:',
      '    """An invoice."""',
      '    @property',
      '    def total(self) -> float:',
      '        def inner():',
      '            return 1',
      '        return tax(self.amount) if self.amount else 0',
    ].join('\n');
    const parsed = await parse('python', source);
    expect(
      parsed.definitions.map((def) => `${def.chunkType} ${def.qualifiedName} ${def.startLine}-${def.endLine} name@${def.nameLine}`),
    ).toEqual(['class Invoice 4-10 name@4', 'method Invoice.total 6-10 name@7', 'function Invoice.total.inner 8-9 name@8']);
    expect(parsed.definitions[0].docstring).toBe('An invoice.');
    expect(parsed.definitions[1]).toMatchObject({ returnType: 'float', parameters: ['self'], complexity: 2, calls: ['tax'] });
    expect(parsed.imports).toEqual([
      {
        source: '.tax',
        names: [
          { local: 'tax', imported: 'compute_tax' },
          { local: 'rate', imported: 'rate' },
        ],
        wildcard: false,
        relative: true,
      },
      { source: 'os.path', names: [], namespace: 'os.path', wildcard: false, relative: false },
    ]);
  });

  it('qualifies Go methods by receiver, Rust methods by impl type, C++ methods by scope', async () => {
    expect(
      await names('go', 'package p\ntype S struct{}\nfunc (s *S) Run() error { return nil }\nfunc New() *S { return &S{} }\n'),
    ).toEqual(['class S 2-2', 'method S.Run 3-3', 'function New 4-4']);
    expect(
      await names('rust', 'struct Q;\nimpl<T> Drain for Q { fn drain(&self) {} }\ntrait Drain { fn drain(&self); fn ok(&self) {} }\n'),
    ).toEqual(['class Q 1-1', 'method Q.drain 2-2', 'interface Drain 3-3', 'method Drain.ok 3-3']);
    expect(await names('cpp', 'class A { void f() {} };\nint A::g(int x) { return x; }\n')).toEqual([
      'class A 1-1',
      'method A.f 1-1',
      'method A.g 2-2',
    ]);
  });

  it('extracts Java, C#, Ruby, PHP and C definitions', async () => {
    expect(
      await names('java', 'class A {\n  @Override\n  public String toString() { return ""; }\n}\ninterface I { void run(); }\n'),
    ).toEqual(['class A 1-4', 'method A.toString 2-3', 'interface I 5-5', 'method I.run 5-5']);
    expect(await names('csharp', 'class S { public S() {} public int Sum() => 1; }\nstruct P {}\n')).toEqual([
      'class S 1-1',
      'method S.S 1-1',
      'method S.Sum 1-1',
      'class P 2-2',
    ]);
    expect(await names('ruby', 'module M\n  class C\n    def self.make; end\n    def run?; end\n  end\nend\ndef top; end\n')).toEqual([
      'class M 1-6',
      'class M.C 2-5',
      'method M.C.make 3-3',
      'method M.C.run? 4-4',
      'function top 7-7',
    ]);
    expect(await names('php', '<?php\nfunction helper($a) {}\ntrait T { public function log($m) {} }\n')).toEqual([
      'function helper 2-2',
      'interface T 3-3',
      'method T.log 3-3',
    ]);
    expect(await names('c', 'struct s { int a; };\nstatic char **names(int n) { return 0; }\n')).toEqual([
      'class s 1-1',
      'function names 2-2',
    ]);
  });

  it('reports a syntax error and still extracts what parsed', async () => {
    const parsed = await parse('python', 'def ok():\n    return 1\n\ndef broken(:\n    pass\n');
    expect(parsed.syntaxError).toMatch(/^syntax error/);
    expect(parsed.definitions.map((def) => def.name)).toContain('ok');
  });

  it('uses string indices that match JavaScript strings (non-ASCII text before definitions)', async () => {
    const parsed = await parse('javascript', '// é ü 日本語 😀\nfunction after() { return "ß"; }\n');
    expect(parsed.definitions[0]).toMatchObject({ name: 'after', startLine: 2, signature: 'function after()' });
  });
});
