import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { isInside } from './path-guard';

/** Never indexed, whatever `.gitignore` says. */
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** Known binary formats: skipped without reading them. Other files are sniffed for NUL bytes. */
const BINARY_EXTENSIONS = new Set(
  (
    '.png .jpg .jpeg .gif .bmp .ico .webp .tiff .pdf .zip .gz .tgz .bz2 .xz .7z .rar .jar .war .class .so .dll .exe ' +
    '.dylib .o .a .lib .bin .dat .wasm .woff .woff2 .ttf .otf .eot .mp3 .mp4 .wav .ogg .mov .avi .sqlite .db .pyc .node'
  ).split(' '),
);

export const MAX_FILE_BYTES = 1024 * 1024;

export type WalkEntry = { path: string; absolute: string } | { path: string; error: string };

interface IgnoreScope {
  /** Directory of the `.gitignore`, relative to the walk root ('' for the root). */
  base: string;
  matcher: Ignore;
}

/**
 * The files to index under `directory` (paths relative to it, `/`-separated), honouring every
 * `.gitignore` on the way. Skipped with an entry in `error`: binaries, files over 1 MiB, symlinks
 * leading outside `root`. Symlinked directories are not followed (no cycles, no escapes).
 */
export async function walkDirectory(directory: string, root: string): Promise<WalkEntry[]> {
  const entries: WalkEntry[] = [];
  await walk(directory, '', [], root, entries);
  return entries;
}

async function walk(absoluteDir: string, relDir: string, scopes: IgnoreScope[], root: string, out: WalkEntry[]): Promise<void> {
  const dirents = await readdir(absoluteDir, { withFileTypes: true });
  const gitignore = dirents.find((d) => d.name === '.gitignore' && d.isFile());
  const active = gitignore
    ? [...scopes, { base: relDir, matcher: ignore().add(await readFile(join(absoluteDir, '.gitignore'), 'utf8')) }]
    : scopes;
  dirents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const dirent of dirents) {
    const rel = relDir ? `${relDir}/${dirent.name}` : dirent.name;
    const absolute = join(absoluteDir, dirent.name);
    let isDir = dirent.isDirectory();
    let isFile = dirent.isFile();
    if (dirent.isSymbolicLink()) {
      const target = await realpath(absolute).catch(() => null);
      if (!target || !isInside(root, target)) {
        out.push({ path: rel, error: 'symbolic link leads outside the indexed root: skipped' });
        continue;
      }
      const info = await stat(target);
      isDir = false;
      isFile = info.isFile();
      if (info.isDirectory()) continue;
    }
    if (isDir && SKIPPED_DIRECTORIES.has(dirent.name)) continue;
    if (ignored(active, rel, isDir)) continue;
    if (isDir) {
      await walk(absolute, rel, active, root, out);
      continue;
    }
    if (!isFile) continue;
    if (BINARY_EXTENSIONS.has(extname(dirent.name).toLowerCase())) {
      out.push({ path: rel, error: 'binary file: skipped' });
      continue;
    }
    const { size } = await stat(absolute);
    if (size > MAX_FILE_BYTES) {
      out.push({ path: rel, error: `file is larger than 1 MiB (${size} bytes): skipped` });
      continue;
    }
    out.push({ path: rel, absolute });
  }
}

function ignored(scopes: IgnoreScope[], rel: string, isDir: boolean): boolean {
  return scopes.some((scope) => {
    const local = scope.base ? rel.slice(scope.base.length + 1) : rel;
    return scope.matcher.ignores(isDir ? `${local}/` : local);
  });
}
