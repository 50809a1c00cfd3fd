import type { Node, QueryMatch, Tree } from 'web-tree-sitter';
import type { Definition, ParsedFile } from './definition';
import { baseTypeName, cFunctionName, goReceiverType, splitQualifiedName } from './definition-names';
import { decodeImport, type ImportRef } from './imports';
import type { ParsedLanguage } from './languages';
import type { LoadedGrammar, TreeSitterRuntime } from './tree-sitter-runtime';

const CLASS_LIKE = new Set(['class', 'struct', 'enum', 'interface', 'trait', 'module', 'impl']);
const SIGNATURE_MAX_CHARS = 300;
const DOCSTRING_MAX_CHARS = 2000;

interface RawDefinition {
  kind: string;
  node: Node;
  range: Node;
  /** First node of the unit: the range, or the first of its overload signatures. */
  start: Node;
  nameNode: Node;
  name: string;
  /** Qualifier written in the definition itself: Go receiver type, C++ `A::` scope. */
  ownScope: string[];
}

/** Parses one file and extracts its definitions, calls and imports; the tree is freed before return. */
export async function parseFile(runtime: TreeSitterRuntime, language: ParsedLanguage, source: string): Promise<ParsedFile> {
  const { tree, grammar } = await runtime.parse(language, source);
  try {
    return extract(tree, grammar, language);
  } finally {
    tree.delete();
  }
}

function extract(tree: Tree, grammar: LoadedGrammar, language: ParsedLanguage): ParsedFile {
  const root = tree.rootNode;
  const raw = grammar.definitions.matches(root).flatMap((match) => toRawDefinition(match, language));
  raw.sort((a, b) => a.start.startIndex - b.start.startIndex || b.range.endIndex - a.range.endIndex);

  const parents = enclosingIndexes(raw);
  const definitions: Definition[] = [];
  // Raw index -> index in `definitions` (containers such as impl blocks and namespaces are not kept).
  const kept = new Map<number, number>();
  raw.forEach((def, i) => {
    const chunkType = chunkTypeOf(def, raw, parents, i, language);
    if (!chunkType) return;
    let parent = parents[i];
    while (parent >= 0 && !kept.has(parent)) parent = parents[parent];
    kept.set(i, definitions.length);
    definitions.push({
      kind: def.kind,
      chunkType,
      name: def.name,
      qualifiedName: [...qualifiers(raw, parents, i), def.name].join('.'),
      startLine: def.start.startPosition.row + 1,
      endLine: endLineOf(def.range),
      nameLine: def.nameNode.startPosition.row + 1,
      startIndex: def.start.startIndex,
      endIndex: def.range.endIndex,
      parent: parent >= 0 ? (kept.get(parent) ?? -1) : -1,
      signature: signatureOf(def),
      parameters: parametersOf(def.node),
      returnType: returnTypeOf(def.node, def.kind),
      docstring: docstringOf(def, language),
      complexity: 1,
      calls: [],
    });
  });

  const owner = ownerLookup(definitions);
  const topLevelCalls: string[] = [];
  for (const match of grammar.calls.matches(root)) {
    const call = callText(match);
    if (!call) continue;
    const at = owner(match.captures[0].node.startIndex);
    const list = at >= 0 ? definitions[at].calls : topLevelCalls;
    if (!list.includes(call)) list.push(call);
  }
  for (const capture of grammar.branches.captures(root)) {
    const at = owner(capture.node.startIndex);
    if (at >= 0) definitions[at].complexity += 1;
  }
  const imports = grammar.imports
    .matches(root)
    .map((match) => decodeImport(language, match.captures.find((c) => c.name === 'import')?.node ?? match.captures[0].node))
    .filter((ref): ref is ImportRef => ref !== null);

  return { language, definitions, topLevelCalls, imports, syntaxError: root.hasError ? describeSyntaxError(root) : null };
}

function toRawDefinition(match: QueryMatch, language: ParsedLanguage): RawDefinition[] {
  const def = match.captures.find((c) => c.name.startsWith('def.'));
  if (!def) return [];
  let kind = def.name.slice(4);
  if (kind === 'function_expression') {
    // A named function expression is its own definition, under its own name, except as the value
    // of a variable or class field, where callers use the binding's name (`const f = function g`).
    const parent = def.node.parent?.type;
    if (parent === 'variable_declarator' || parent === 'public_field_definition' || parent === 'field_definition') return [];
    kind = 'function';
  } else if (namedFunctionValue(def.node)) {
    // `module.exports = function isX() {}` and `{ value: function addPattern() {} }`: the function's
    // own name is the meaningful one; the function_expression pattern reports it.
    return [];
  }
  let nameNode = match.captures.find((c) => c.name === 'name')?.node ?? null;
  let ownScope: string[] = [];
  const declarator = match.captures.find((c) => c.name === 'declarator')?.node;
  if (declarator) {
    nameNode = cFunctionName(declarator);
    if (!nameNode) return [];
  }
  if (!nameNode) return [];
  let name = nameNode.type === 'string' ? nameNode.text.slice(1, -1) : nameNode.text;
  if (nameNode.type === 'qualified_identifier' || nameNode.type === 'template_function') {
    const split = splitQualifiedName(nameNode);
    name = split.name;
    ownScope = split.scope;
  }
  if (kind === 'impl') name = baseTypeName(nameNode);
  const receiver = match.captures.find((c) => c.name === 'receiver')?.node;
  if (receiver && language === 'go') {
    const type = goReceiverType(receiver);
    if (type) ownScope = [type];
  }
  const range = rangeNode(def.node, language);
  return [{ kind, node: def.node, range, start: withOverloads(range, name, language), nameNode, name, ownScope }];
}

const OVERLOAD_TYPES = new Set(['function_signature', 'method_signature', 'abstract_method_signature']);

/**
 * TypeScript overload signatures belong to the implementation that follows them: the chunk starts at
 * the first overload, so that they are searched and shown with it.
 */
function withOverloads(range: Node, name: string, language: ParsedLanguage): Node {
  if (language !== 'typescript' && language !== 'tsx') return range;
  let start = range;
  for (let sibling = range.previousNamedSibling; sibling; sibling = sibling.previousNamedSibling) {
    const signature = sibling.type === 'export_statement' ? sibling.namedChildren.find((child) => OVERLOAD_TYPES.has(child.type)) : sibling;
    if (!signature || !OVERLOAD_TYPES.has(signature.type) || signature.childForFieldName('name')?.text !== name) break;
    start = sibling;
  }
  return start;
}

/** The named function expression assigned by an assignment statement or an object pair, if any. */
function namedFunctionValue(node: Node): boolean {
  const assignment =
    node.type === 'expression_statement' ? node.namedChildren.find((child) => child.type === 'assignment_expression') : null;
  const value = node.type === 'pair' ? node.childForFieldName('value') : assignment?.childForFieldName('right');
  return value?.type === 'function_expression' && value.childForFieldName('name') !== null;
}

/** Wrappers that belong to a definition: `export`, Python decorators. */
function rangeNode(node: Node, language: ParsedLanguage): Node {
  const parent = node.parent;
  if (!parent) return node;
  if ((language === 'typescript' || language === 'tsx' || language === 'javascript') && parent.type === 'export_statement') return parent;
  if (language === 'python' && parent.type === 'decorated_definition') return parent;
  return node;
}

/** For each raw definition, the index of the innermost raw definition containing it (or -1). */
function enclosingIndexes(raw: RawDefinition[]): number[] {
  const parents: number[] = [];
  const stack: number[] = [];
  raw.forEach((def, i) => {
    while (stack.length > 0 && raw[stack[stack.length - 1]].range.endIndex <= def.start.startIndex) stack.pop();
    // Two matches on one node (a declaration with two function-valued declarators) are siblings.
    while (stack.length > 0 && raw[stack[stack.length - 1]].range.equals(def.range)) stack.pop();
    parents.push(stack.length > 0 ? stack[stack.length - 1] : -1);
    stack.push(i);
  });
  return parents;
}

function nearestQualifyingParent(raw: RawDefinition[], parents: number[], i: number): RawDefinition | null {
  for (let p = parents[i]; p >= 0; p = parents[p]) if (raw[p].kind !== 'namespace') return raw[p];
  return null;
}

function chunkTypeOf(
  def: RawDefinition,
  raw: RawDefinition[],
  parents: number[],
  i: number,
  language: ParsedLanguage,
): Definition['chunkType'] | null {
  switch (def.kind) {
    case 'impl':
    case 'namespace':
      return null;
    case 'class':
    case 'struct':
    case 'enum':
    case 'module':
      return 'class';
    case 'interface':
    case 'trait':
      return 'interface';
    default: {
      const parent = nearestQualifyingParent(raw, parents, i);
      const inClass = parent !== null && CLASS_LIKE.has(parent.kind);
      if (inClass || def.ownScope.length > 0) return 'method';
      return def.kind === 'function' || language === 'ruby' ? 'function' : 'method';
    }
  }
}

/** Enclosing definitions (namespaces excepted) plus the definition's own scope, outermost first. */
function qualifiers(raw: RawDefinition[], parents: number[], i: number): string[] {
  const names: string[] = [];
  for (let p = parents[i]; p >= 0; p = parents[p]) if (raw[p].kind !== 'namespace') names.unshift(raw[p].name);
  return [...names, ...raw[i].ownScope.map((scope) => scope.replace(/::/g, '.'))];
}

/** A node ending at column 0 ends on the previous line (its text ends with the newline). */
function endLineOf(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
}

function bodyOf(node: Node): Node | null {
  const direct = node.childForFieldName('body');
  if (direct) return direct;
  // `const f = () => {...}`: the body is the function value's.
  const declarator = node.namedChildren.find((child) => child.type === 'variable_declarator');
  const value = declarator?.childForFieldName('value') ?? node.childForFieldName('value') ?? node.childForFieldName('right');
  if (value) return value.childForFieldName('body');
  const assignment = node.namedChildren.find((child) => child.type === 'assignment_expression');
  return assignment?.childForFieldName('right')?.childForFieldName('body') ?? null;
}

function functionNode(node: Node): Node {
  const declarator = node.namedChildren.find((child) => child.type === 'variable_declarator');
  const value = declarator?.childForFieldName('value') ?? node.childForFieldName('value');
  if (value) return value;
  const assignment = node.namedChildren.find((child) => child.type === 'assignment_expression');
  return assignment?.childForFieldName('right') ?? node;
}

function signatureOf(def: RawDefinition): string {
  const body = bodyOf(def.node);
  const start = def.node.startIndex;
  const text = def.node.text;
  const header = body && body.startIndex > start ? text.slice(0, body.startIndex - start) : text.split('\n')[0];
  const collapsed = header
    .replace(/\s+/g, ' ')
    .replace(/\s*(=>|\{|:)?\s*$/, '')
    .trim();
  return collapsed.length > SIGNATURE_MAX_CHARS ? `${collapsed.slice(0, SIGNATURE_MAX_CHARS - 1)}…` : collapsed;
}

function parametersNode(node: Node): Node | null {
  const fn = functionNode(node);
  const direct = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
  if (direct) return direct;
  const declarator = fn.childForFieldName('declarator');
  const functionDeclarator =
    declarator?.type === 'function_declarator' ? declarator : declarator?.descendantsOfType('function_declarator')[0];
  return functionDeclarator?.childForFieldName('parameters') ?? null;
}

function parametersOf(node: Node): string[] {
  const params = parametersNode(node);
  if (!params) return [];
  if (params.type === 'identifier') return [params.text];
  return params.namedChildren
    .filter((child) => !child.type.includes('comment'))
    .map((child) => child.text.replace(/\s+/g, ' ').trim())
    .filter((text) => text.length > 0);
}

const FUNCTION_KINDS = new Set(['function', 'method', 'constructor']);

function returnTypeOf(node: Node, kind: string): string | null {
  if (!FUNCTION_KINDS.has(kind)) return null;
  const fn = functionNode(node);
  const type =
    fn.childForFieldName('return_type') ??
    fn.childForFieldName('result') ??
    fn.childForFieldName('returns') ??
    fn.childForFieldName('type');
  if (!type) return null;
  return (
    type.text
      .replace(/^\s*(:|->)\s*/, '')
      .replace(/\s+/g, ' ')
      .trim() || null
  );
}

function docstringOf(def: RawDefinition, language: ParsedLanguage): string | null {
  if (language === 'python') {
    const first = def.node.childForFieldName('body')?.namedChildren[0];
    const literal = first?.type === 'expression_statement' ? first.namedChildren[0] : null;
    if (literal?.type === 'string') return clip(literal.text.replace(/^[rRbBuUfF]*("""|'''|"|')|("""|'''|"|')$/g, '').trim());
  }
  const comments: string[] = [];
  let expectedRow = def.start.startPosition.row;
  for (let sibling = def.start.previousNamedSibling; sibling; sibling = sibling.previousNamedSibling) {
    if (!sibling.type.includes('comment') || sibling.endPosition.row < expectedRow - 1) break;
    comments.unshift(sibling.text);
    expectedRow = sibling.startPosition.row;
  }
  if (comments.length === 0) return null;
  return clip(comments.map(stripCommentMarkers).join('\n').trim()) || null;
}

function stripCommentMarkers(comment: string): string {
  return comment
    .split('\n')
    .map((line) => line.replace(/^\s*(\/\*\*?|\*\/|\*|\/\/\/?|#)\s?/, '').replace(/\s*\*\/\s*$/, ''))
    .join('\n')
    .trim();
}

function clip(text: string): string {
  return text.length > DOCSTRING_MAX_CHARS ? `${text.slice(0, DOCSTRING_MAX_CHARS - 1)}…` : text;
}

/** `callee` or `receiver.callee` when the receiver is a plain identifier path (`this`, `self`, `pkg.mod`). */
function callText(match: QueryMatch): string | null {
  const callee = match.captures.find((c) => c.name === 'callee')?.node.text;
  if (!callee) return null;
  const receiver = match.captures.find((c) => c.name === 'receiver')?.node.text;
  if (receiver && receiver.length <= 60 && /^[\w$]+(\.[\w$]+)*$/.test(receiver)) return `${receiver}.${callee}`;
  return callee;
}

/** Innermost definition containing a position, by binary search over the nested, sorted ranges. */
function ownerLookup(definitions: Definition[]): (index: number) => number {
  const starts = definitions.map((def) => def.startIndex);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    let candidate = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= index) {
        candidate = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let at = candidate; at >= 0; at = definitions[at].parent) {
      if (definitions[at].endIndex > index) return at;
    }
    return -1;
  };
}

function describeSyntaxError(root: Node): string {
  const error = root.descendantsOfType('ERROR')[0];
  if (error) return `syntax error at line ${error.startPosition.row + 1}`;
  return 'syntax error (missing token)';
}
