import type { Node } from 'web-tree-sitter';
import type { ParsedLanguage } from './languages';

/** One imported binding: `local` is the name used in this file, `imported` the name in the module. */
export interface ImportedName {
  local: string;
  imported: string;
}

/**
 * One import/include/use, normalised across languages. `namespace` is a binding for the whole module
 * (`import * as u`, Go's package name, Python's `import a.b`), `wildcard` brings every name in.
 */
export interface ImportRef {
  source: string;
  names: ImportedName[];
  namespace?: string;
  wildcard: boolean;
  /** A path relative to the importing file (`./x`, `require_relative`, `#include "x.h"`). */
  relative: boolean;
}

export function decodeImport(language: ParsedLanguage, node: Node): ImportRef | null {
  switch (language) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return node.type === 'import_statement' ? jsImport(node) : jsRequire(node);
    case 'python':
      return node.type === 'import_statement' ? pythonImport(node) : pythonFromImport(node);
    case 'go':
      return goImport(node);
    case 'java':
      return javaImport(node);
    case 'rust':
      return rustUse(node);
    case 'c':
    case 'cpp':
      return cInclude(node);
    case 'csharp':
      return csharpUsing(node);
    case 'ruby':
      return rubyRequire(node);
    case 'php':
      return phpImport(node);
  }
}

function unquote(text: string): string {
  return text.replace(/^['"`<]|['"`>]$/g, '');
}

function jsImport(node: Node): ImportRef | null {
  const source = node.childForFieldName('source');
  if (!source) return null;
  const ref: ImportRef = { source: unquote(source.text), names: [], wildcard: false, relative: false };
  ref.relative = ref.source.startsWith('.');
  const clause = node.namedChildren.find((child) => child?.type === 'import_clause');
  for (const part of clause?.namedChildren ?? []) {
    if (!part) continue;
    if (part.type === 'identifier') ref.names.push({ local: part.text, imported: 'default' });
    else if (part.type === 'namespace_import') ref.namespace = part.namedChildren[0]?.text;
    else if (part.type === 'named_imports') {
      for (const spec of part.namedChildren) {
        if (spec?.type !== 'import_specifier') continue;
        const name = spec.childForFieldName('name')?.text;
        const alias = spec.childForFieldName('alias')?.text;
        if (name) ref.names.push({ local: alias ?? name, imported: name });
      }
    }
  }
  return ref;
}

function jsRequire(node: Node): ImportRef | null {
  const arg = node.childForFieldName('arguments')?.namedChildren[0];
  if (!arg || arg.type !== 'string') return null;
  const source = unquote(arg.text);
  const ref: ImportRef = { source, names: [], wildcard: false, relative: source.startsWith('.') };
  const declarator = node.parent?.type === 'variable_declarator' ? node.parent : null;
  const binding = declarator?.childForFieldName('name');
  if (binding?.type === 'identifier') ref.namespace = binding.text;
  else if (binding?.type === 'object_pattern') {
    for (const prop of binding.namedChildren) {
      if (prop?.type === 'shorthand_property_identifier_pattern') ref.names.push({ local: prop.text, imported: prop.text });
      else if (prop?.type === 'pair_pattern') {
        const key = prop.childForFieldName('key')?.text;
        const value = prop.childForFieldName('value')?.text;
        if (key && value) ref.names.push({ local: value, imported: key });
      }
    }
  }
  return ref;
}

function pythonImport(node: Node): ImportRef | null {
  const first = node.namedChildren[0];
  if (!first) return null;
  if (first.type === 'aliased_import') {
    const name = first.childForFieldName('name')?.text ?? '';
    return { source: name, names: [], namespace: first.childForFieldName('alias')?.text, wildcard: false, relative: false };
  }
  return { source: first.text, names: [], namespace: first.text, wildcard: false, relative: false };
}

function pythonFromImport(node: Node): ImportRef | null {
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode) return null;
  const source = moduleNode.text;
  const ref: ImportRef = { source, names: [], wildcard: false, relative: source.startsWith('.') };
  for (const child of node.namedChildren) {
    if (!child || child.equals(moduleNode)) continue;
    if (child.type === 'wildcard_import') ref.wildcard = true;
    else if (child.type === 'dotted_name') ref.names.push({ local: child.text, imported: child.text });
    else if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name')?.text;
      const alias = child.childForFieldName('alias')?.text;
      if (name) ref.names.push({ local: alias ?? name, imported: name });
    }
  }
  return ref;
}

function goImport(node: Node): ImportRef | null {
  const path = node.childForFieldName('path');
  if (!path) return null;
  const source = unquote(path.text);
  const alias = node.childForFieldName('name')?.text;
  const namespace = alias && alias !== '_' && alias !== '.' ? alias : source.split('/').pop();
  return { source, names: [], namespace, wildcard: alias === '.', relative: false };
}

function javaImport(node: Node): ImportRef | null {
  const text = node.text.replace(/^import\s+(static\s+)?/, '').replace(/\s*;\s*$/, '');
  if (text.endsWith('.*')) return { source: text.slice(0, -2), names: [], wildcard: true, relative: false };
  const last = text.split('.').pop() ?? text;
  return { source: text, names: [{ local: last, imported: last }], wildcard: false, relative: false };
}

function rustUse(node: Node): ImportRef | null {
  const arg = node.childForFieldName('argument');
  if (!arg) return null;
  const text = arg.text.replace(/\s*::\s*/g, '::').replace(/\s+/g, ' ');
  const brace = text.indexOf('::{');
  if (brace >= 0) {
    const items = text
      .slice(brace + 3, text.lastIndexOf('}'))
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    const names = items.map((item) => {
      const [path, alias] = item.split(/\s+as\s+/);
      const imported = path.split('::').pop() ?? path;
      return { local: alias ?? imported, imported };
    });
    return { source: text.slice(0, brace), names: names.filter((n) => n.imported !== 'self'), wildcard: false, relative: false };
  }
  if (text.endsWith('::*')) return { source: text.slice(0, -3), names: [], wildcard: true, relative: false };
  const [path, alias] = text.split(/\s+as\s+/);
  const segments = path.split('::');
  const imported = segments.pop() ?? path;
  return {
    source: segments.join('::'),
    names: [{ local: alias ?? imported, imported }],
    namespace: alias ?? imported,
    wildcard: false,
    relative: false,
  };
}

function cInclude(node: Node): ImportRef | null {
  const path = node.childForFieldName('path');
  if (!path || path.type !== 'string_literal') return null;
  return { source: unquote(path.text), names: [], wildcard: true, relative: true };
}

function csharpUsing(node: Node): ImportRef | null {
  const name = node.namedChildren.find((child) => child && /identifier|qualified_name/.test(child.type));
  return name ? { source: name.text, names: [], wildcard: true, relative: false } : null;
}

function rubyRequire(node: Node): ImportRef | null {
  const method = node.childForFieldName('method')?.text;
  const arg = node.childForFieldName('arguments')?.namedChildren[0];
  if (!arg) return null;
  const source = unquote(arg.text);
  const relative = method === 'require_relative';
  return { source: relative && !source.startsWith('.') ? `./${source}` : source, names: [], wildcard: true, relative };
}

function phpImport(node: Node): ImportRef | null {
  if (node.type === 'namespace_use_clause') {
    const [path, alias] = node.text.split(/\s+as\s+/i);
    const imported = path.split('\\').pop() ?? path;
    return { source: path.replace(/^\\/, ''), names: [{ local: alias ?? imported, imported }], wildcard: false, relative: false };
  }
  const literal = node.descendantsOfType(['string', 'encapsed_string'])[0];
  if (!literal) return null;
  const source = unquote(literal.text);
  return { source, names: [], wildcard: true, relative: true };
}
