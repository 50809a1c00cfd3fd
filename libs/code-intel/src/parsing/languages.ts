import { dirname, extname, join } from 'node:path';

/** Languages parsed with tree-sitter. Every other file is chunked into line windows. */
export const PARSED_LANGUAGES = [
  'typescript',
  'tsx',
  'javascript',
  'python',
  'go',
  'java',
  'rust',
  'c',
  'cpp',
  'csharp',
  'ruby',
  'php',
] as const;

export type ParsedLanguage = (typeof PARSED_LANGUAGES)[number];

const PARSED_BY_EXTENSION: Record<string, ParsedLanguage> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.pyi': 'python',
  '.go': 'go',
  '.java': 'java',
  '.rs': 'rust',
  '.c': 'c',
  '.h': 'c',
  '.cc': 'cpp',
  '.cpp': 'cpp',
  '.cxx': 'cpp',
  '.c++': 'cpp',
  '.hh': 'cpp',
  '.hpp': 'cpp',
  '.hxx': 'cpp',
  '.cs': 'csharp',
  '.rb': 'ruby',
  '.rake': 'ruby',
  '.php': 'php',
};

/** Names for common unparsed files, so that `language` filters stay meaningful for them too. */
const OTHER_BY_EXTENSION: Record<string, string> = {
  '.md': 'markdown',
  '.json': 'json',
  '.yaml': 'yaml',
  '.yml': 'yaml',
  '.toml': 'toml',
  '.sql': 'sql',
  '.sh': 'shell',
  '.bash': 'shell',
  '.html': 'html',
  '.css': 'css',
  '.scss': 'scss',
  '.xml': 'xml',
  '.kt': 'kotlin',
  '.swift': 'swift',
  '.scala': 'scala',
  '.lua': 'lua',
  '.txt': 'text',
};

/**
 * Each grammar's `.wasm`, as the official npm packages ship it. The `require.resolve` calls are
 * literal so that the build sees the grammar packages as dependencies of the bundle.
 */
const GRAMMAR_FILES: Record<ParsedLanguage, () => string> = {
  typescript: () => join(dirname(require.resolve('tree-sitter-typescript/package.json')), 'tree-sitter-typescript.wasm'),
  tsx: () => join(dirname(require.resolve('tree-sitter-typescript/package.json')), 'tree-sitter-tsx.wasm'),
  javascript: () => join(dirname(require.resolve('tree-sitter-javascript/package.json')), 'tree-sitter-javascript.wasm'),
  python: () => join(dirname(require.resolve('tree-sitter-python/package.json')), 'tree-sitter-python.wasm'),
  go: () => join(dirname(require.resolve('tree-sitter-go/package.json')), 'tree-sitter-go.wasm'),
  java: () => join(dirname(require.resolve('tree-sitter-java/package.json')), 'tree-sitter-java.wasm'),
  rust: () => join(dirname(require.resolve('tree-sitter-rust/package.json')), 'tree-sitter-rust.wasm'),
  c: () => join(dirname(require.resolve('tree-sitter-c/package.json')), 'tree-sitter-c.wasm'),
  cpp: () => join(dirname(require.resolve('tree-sitter-cpp/package.json')), 'tree-sitter-cpp.wasm'),
  csharp: () => join(dirname(require.resolve('tree-sitter-c-sharp/package.json')), 'tree-sitter-c_sharp.wasm'),
  ruby: () => join(dirname(require.resolve('tree-sitter-ruby/package.json')), 'tree-sitter-ruby.wasm'),
  php: () => join(dirname(require.resolve('tree-sitter-php/package.json')), 'tree-sitter-php.wasm'),
};

export function isParsedLanguage(language: string): language is ParsedLanguage {
  return (PARSED_LANGUAGES as readonly string[]).includes(language);
}

/** The language of a path by its extension: a parsed language, a known other one, or `text`. */
export function detectLanguage(path: string): string {
  const ext = extname(path).toLowerCase();
  return PARSED_BY_EXTENSION[ext] ?? OTHER_BY_EXTENSION[ext] ?? 'text';
}

export function grammarPath(language: ParsedLanguage): string {
  return GRAMMAR_FILES[language]();
}
