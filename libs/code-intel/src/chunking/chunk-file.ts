import { basename } from 'node:path';
import type { Definition, ParsedFile } from '../parsing/definition';
import type { ImportRef } from '../parsing/imports';
import type { ChunkMetadata, CodeChunk } from './code-chunk';
import { lineWindows } from './line-windows';

/** Units longer than this are split into parts, each repeating the unit's header line. */
export const MAX_CHUNK_CHARS = 8000;
/** Line windows for languages without a grammar: about 2,000 characters, 10% overlap. */
export const WINDOW_CHARS = 2000;
export const WINDOW_OVERLAP = 0.1;

/**
 * Chunks of a parsed file. Nesting policy: every chunk holds its own text only. A definition nested
 * in another (a method in its class, a function in a function) is its own chunk, and in the
 * enclosing chunk its lines are replaced by its header followed by ` …`. So a class chunk is the
 * class's skeleton (fields, headers of its methods), no text is indexed twice, and a search hit on a
 * method's body returns the method, not also its class. Line spans still cover the whole unit.
 * A file without definitions is one `module` chunk.
 */
export function chunkParsedFile(path: string, source: string, parsed: ParsedFile): CodeChunk[] {
  const lines = source.split('\n');
  const importNames = importedNames(parsed.imports);
  if (parsed.definitions.length === 0) return moduleChunks(path, lines, importNames, parsed.topLevelCalls);

  const children = new Map<number, Definition[]>();
  parsed.definitions.forEach((def) => {
    if (def.parent < 0) return;
    const list = children.get(def.parent) ?? [];
    list.push(def);
    children.set(def.parent, list);
  });

  return parsed.definitions.flatMap((def, index) => {
    const own = ownLines(lines, def, children.get(index) ?? []);
    const text = own.join('\n');
    const metadata: ChunkMetadata = {
      complexity: def.complexity,
      parameters: def.parameters,
      return_type: def.returnType,
      calls: def.calls,
      imports: usedImports(text, importNames),
      kind: def.kind,
    };
    const base = {
      chunkType: def.chunkType,
      name: def.name,
      qualifiedName: def.qualifiedName,
      signature: def.signature || null,
      docstring: def.docstring,
      definition: index,
    };
    if (text.length <= MAX_CHUNK_CHARS) return [{ ...base, startLine: def.startLine, endLine: def.endLine, source: text, metadata }];
    return splitUnit(own, def.startLine, def.signature || own[0]).map((part, i, parts) => ({
      ...base,
      startLine: part.startLine,
      endLine: part.endLine,
      source: part.text,
      metadata: { ...metadata, part: i + 1, parts: parts.length },
    }));
  });
}

/** Line windows for a file in a language without a grammar (`block` chunks). */
export function chunkUnparsedFile(path: string, source: string): CodeChunk[] {
  if (source.trim() === '') return [];
  const name = basename(path);
  return lineWindows(source.split('\n'), 1, WINDOW_CHARS, WINDOW_OVERLAP)
    .filter((window) => window.text.trim() !== '')
    .map((window) => ({
      chunkType: 'block' as const,
      name,
      qualifiedName: `${path}:${window.startLine}-${window.endLine}`,
      signature: null,
      docstring: null,
      startLine: window.startLine,
      endLine: window.endLine,
      source: window.text,
      metadata: { complexity: 0, parameters: [], return_type: null, calls: [], imports: [], kind: 'block' },
      definition: -1,
    }));
}

function moduleChunks(path: string, lines: string[], importNames: string[], calls: string[]): CodeChunk[] {
  const text = lines.join('\n');
  if (text.trim() === '') return [];
  const name = basename(path);
  const metadata: ChunkMetadata = {
    complexity: 0,
    parameters: [],
    return_type: null,
    calls,
    imports: usedImports(text, importNames),
    kind: 'module',
  };
  const base = { chunkType: 'module' as const, name, qualifiedName: path, signature: null, docstring: null, definition: -1 };
  const endLine = lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  if (text.length <= MAX_CHUNK_CHARS) return [{ ...base, startLine: 1, endLine: Math.max(1, endLine), source: text, metadata }];
  const windows = lineWindows(lines, 1, MAX_CHUNK_CHARS, 0);
  return windows.map((window, i) => ({
    ...base,
    startLine: window.startLine,
    endLine: window.endLine,
    source: window.text,
    metadata: { ...metadata, part: i + 1, parts: windows.length },
  }));
}

/** The definition's lines with each nested definition's lines replaced by its header and ` …`. */
function ownLines(lines: string[], def: Definition, nested: Definition[]): string[] {
  const own: string[] = [];
  let line = def.startLine;
  for (const child of nested) {
    // A child sharing the parent's first line (one-line classes) or an earlier child's lines stays inline.
    if (child.startLine <= def.startLine || child.startLine < line) continue;
    for (; line < child.startLine; line++) own.push(lines[line - 1]);
    const indent = /^\s*/.exec(lines[child.startLine - 1])?.[0] ?? '';
    own.push(`${indent}${child.signature || child.name} …`);
    line = child.endLine + 1;
  }
  for (; line <= def.endLine; line++) own.push(lines[line - 1] ?? '');
  return own;
}

/** Parts of an oversized unit: line windows, every part after the first prefixed with the header. */
function splitUnit(own: string[], startLine: number, header: string): { startLine: number; endLine: number; text: string }[] {
  const budget = Math.max(1000, MAX_CHUNK_CHARS - header.length - 8);
  return lineWindows(own, startLine, budget, 0).map((window, i) => ({
    ...window,
    text: i === 0 ? window.text : `${header} …\n${window.text}`,
  }));
}

function importedNames(imports: ImportRef[]): string[] {
  const names = new Set<string>();
  for (const ref of imports) {
    for (const name of ref.names) names.add(name.local);
    if (ref.namespace) names.add(ref.namespace.split('.')[0]);
  }
  return [...names];
}

/** Imported names this chunk's text refers to. */
function usedImports(text: string, importNames: string[]): string[] {
  if (importNames.length === 0) return [];
  const words = new Set(text.match(/[\p{L}_$][\p{L}\p{N}_$]*/gu) ?? []);
  return importNames.filter((name) => words.has(name));
}
