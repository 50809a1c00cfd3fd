import { posix } from 'node:path';
import type { ImportRef } from '../parsing/imports';

const JS_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.d.ts'];
const INDEX_NAMES = ['index', '__init__', 'mod'];

function stripExtension(path: string): string {
  return path.replace(/\.d\.ts$/, '').replace(/\.[^./]+$/, '');
}

/**
 * Maps an import to the repository files it names, by path: relative imports are resolved from the
 * importing file (with the usual extensions and index files), others by path suffix
 * (`a.b.c` / `a::b::c` / `a\b\c` -> a file `.../a/b/c.*` or the files of a directory `.../a/b/c/`),
 * which covers Python, Java, Go, Rust, PHP and Ruby layouts without reading build files.
 */
export class ModuleResolver {
  private readonly paths: Set<string>;
  /** Extension-less path suffixes (`b/c`, `c`) -> files. */
  private readonly bySuffix = new Map<string, string[]>();
  /** Directory suffixes -> files directly in that directory. */
  private readonly byDirSuffix = new Map<string, string[]>();

  constructor(paths: Iterable<string>) {
    this.paths = new Set(paths);
    for (const path of this.paths) {
      const segments = stripExtension(path).split('/');
      for (let i = 0; i < segments.length; i++) push(this.bySuffix, segments.slice(i).join('/'), path);
      const dirs = segments.slice(0, -1);
      for (let i = 0; i < dirs.length; i++) push(this.byDirSuffix, dirs.slice(i).join('/'), path);
      // `pkg/__init__.py`, `pkg/index.ts`, `pkg/mod.rs` also answer for `pkg`.
      if (INDEX_NAMES.includes(segments[segments.length - 1]) && dirs.length > 0) {
        for (let i = 0; i < dirs.length; i++) push(this.bySuffix, dirs.slice(i).join('/'), path);
      }
    }
  }

  resolve(ref: ImportRef, fromPath: string): string[] {
    if (ref.relative) return this.resolveRelative(ref, fromPath);
    const fragment = ref.source
      .replace(/^(crate|self|super)::/, '')
      .replace(/::|\\|\./g, '/')
      .replace(/^@?\/+/, '')
      .replace(/\/+$/, '');
    if (fragment === '') return [];
    // Import paths often carry a prefix the tree does not (a Go module path, a PHP namespace root):
    // drop leading segments until something matches, keeping at least two (or the one there was).
    const segments = fragment.split('/');
    const floor = Math.min(2, segments.length);
    for (let start = 0; segments.length - start >= floor; start++) {
      const tail = segments.slice(start).join('/');
      const files = this.bySuffix.get(tail);
      if (files && files.length > 0) return files;
      // Go and Java wildcard imports name a directory (a package); `from pkg import mod` names a file.
      const dirFiles = this.byDirSuffix.get(tail) ?? [];
      if (dirFiles.length > 0) return dirFiles;
      const submodules = ref.names.flatMap((name) => this.bySuffix.get(`${tail}/${name.imported}`) ?? []);
      if (submodules.length > 0) return submodules;
    }
    // `import a.b.C.member` in Java / `use a::b::f` in Rust: the last segment is a member of the module.
    const parent = segments.slice(0, -1).join('/');
    return parent ? (this.bySuffix.get(parent) ?? []) : [];
  }

  private resolveRelative(ref: ImportRef, fromPath: string): string[] {
    const dir = posix.dirname(fromPath);
    let target: string;
    const pythonRelative = /^(\.+)([\w.]*)$/.exec(ref.source);
    if (pythonRelative && !ref.source.startsWith('./') && !ref.source.startsWith('../') && ref.source !== '.' && ref.source !== '..') {
      const ups = pythonRelative[1].length - 1;
      const rest = pythonRelative[2].replace(/\./g, '/');
      target = posix.join(dir, ...Array<string>(ups).fill('..'), rest);
      const found = this.firstExisting([`${target}.py`, `${target}/__init__.py`]);
      if (found.length > 0) return found;
      return ref.names.flatMap((name) => this.firstExisting([`${target}/${name.imported}.py`]));
    }
    target = posix.join(dir, ref.source);
    const base = target.replace(/\.(m|c)?jsx?$/, '');
    const candidates = [
      target,
      ...JS_EXTENSIONS.map((ext) => base + ext),
      ...['.py', '.rb', '.php', '.h', '.hpp', '.c', '.cc', '.cpp'].map((ext) => target + ext),
      ...JS_EXTENSIONS.map((ext) => `${target}/index${ext}`),
    ];
    return this.firstExisting(candidates);
  }

  private firstExisting(candidates: string[]): string[] {
    const found = candidates.find((candidate) => this.paths.has(candidate));
    return found ? [found] : [];
  }
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
