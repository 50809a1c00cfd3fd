import type { Node } from 'web-tree-sitter';

/**
 * The name node of a C/C++ function: `function_definition.declarator` leads through pointer,
 * reference and attributed declarators to a `function_declarator`, whose own declarator is the name
 * (`identifier`, `field_identifier`, `qualified_identifier` for `A::f`, `destructor_name`,
 * `operator_name`, `template_function`).
 */
export function cFunctionName(declarator: Node | null): Node | null {
  let d = declarator;
  while (d) {
    if (d.type === 'function_declarator') {
      const inner = d.childForFieldName('declarator');
      if (inner && inner.type !== 'parenthesized_declarator') return inner;
      d = inner;
      continue;
    }
    // Reference and parenthesized declarators have no `declarator` field: their child is the next link.
    d = d.childForFieldName('declarator') ?? d.namedChildren.find((child) => child?.type.endsWith('declarator')) ?? null;
  }
  return null;
}

/** Splits a C++ `A::B::f` into its scope (`A.B`) and short name; other names have no scope. */
export function splitQualifiedName(node: Node): { scope: string[]; name: string } {
  const scope: string[] = [];
  let current: Node | null = node;
  while (current && current.type === 'qualified_identifier') {
    const part = current.childForFieldName('scope');
    if (part) scope.push(part.text);
    current = current.childForFieldName('name');
  }
  const name =
    current?.type === 'template_function' ? (current.childForFieldName('name')?.text ?? current.text) : (current?.text ?? node.text);
  return { scope, name };
}

/** Go method receiver `(s *Server[T])` -> `Server`. */
export function goReceiverType(receiver: Node): string | null {
  const type = receiver.descendantsOfType('type_identifier')[0];
  return type ? type.text : null;
}

/** Rust `impl<T> Trait for Vec<T>` qualifies methods by the implementing type's base name: `Vec`. */
export function baseTypeName(node: Node): string {
  const id = node.type === 'type_identifier' ? node : (node.descendantsOfType('type_identifier')[0] ?? node);
  return id.text;
}
