import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import sqlLanguage from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { escapeHtml } from './html';

/** The indexer's language ids, mapped to highlight.js grammars (only these are loaded). */
const GRAMMARS = {
  typescript,
  tsx: typescript,
  javascript,
  python,
  go,
  java,
  rust,
  c,
  cpp,
  csharp,
  ruby,
  php,
  json,
  yaml,
  markdown,
  sql: sqlLanguage,
  shell: bash,
  html: xml,
} as const;

for (const [name, grammar] of Object.entries(GRAMMARS)) hljs.registerLanguage(name, grammar);

/**
 * Source as HTML with highlight.js's `hljs-*` spans, made on the server so the page needs no
 * highlighter of its own. highlight.js escapes the source; a language it does not know is escaped
 * as plain text.
 */
export function highlightSource(source: string, language: string): string {
  if (!(language in GRAMMARS)) return escapeHtml(source);
  return hljs.highlight(source, { language, ignoreIllegals: true }).value;
}
