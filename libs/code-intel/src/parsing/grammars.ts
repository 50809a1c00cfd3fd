import type { ParsedLanguage } from './languages';

/**
 * What each grammar contributes, as tree-sitter queries:
 * - `definitions`: `@def.<kind>` on the definition node, `@name` (or `@declarator` for C/C++ whose
 *   name hides in a declarator chain, `@receiver` for Go methods). Kinds: function, method,
 *   constructor, class, struct, enum, interface, trait, module (chunked) and impl, namespace
 *   (containers: never chunked; an impl qualifies its methods, a namespace does not).
 * - `calls`: `@call` on the call node, `@callee` on the called name, optional `@receiver`.
 * - `imports`: `@import` on each import/include/use node, decoded by `extractImports`.
 * Type aliases, bare signatures and properties are not chunked: they carry no behaviour to search.
 */
export interface GrammarSpec {
  definitions: string;
  calls: string;
  imports: string;
}

const TS_DEFINITIONS = `
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)])) @def.function
(variable_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)])) @def.function
(method_definition name: (_) @name) @def.method
(public_field_definition name: (_) @name value: [(arrow_function) (function_expression)]) @def.method
(pair key: (property_identifier) @name value: [(arrow_function) (function_expression)]) @def.method
(abstract_method_signature name: (_) @name) @def.method
(class_declaration name: (type_identifier) @name) @def.class
(class name: (type_identifier) @name) @def.class
(function_expression name: (identifier) @name) @def.function_expression
(abstract_class_declaration name: (type_identifier) @name) @def.class
(interface_declaration name: (type_identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(internal_module name: (_) @name) @def.namespace
`;

const JS_CALLS = `
(call_expression function: (identifier) @callee) @call
(call_expression function: (member_expression object: (_) @receiver property: (property_identifier) @callee)) @call
(new_expression constructor: (identifier) @callee) @call
`;

const JS_IMPORTS = `
(import_statement) @import
(call_expression function: (identifier) @fn (#eq? @fn "require") arguments: (arguments (string))) @import
`;

export const GRAMMARS: Record<ParsedLanguage, GrammarSpec> = {
  typescript: { definitions: TS_DEFINITIONS, calls: JS_CALLS, imports: JS_IMPORTS },
  tsx: { definitions: TS_DEFINITIONS, calls: JS_CALLS, imports: JS_IMPORTS },
  javascript: {
    definitions: `
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(lexical_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)])) @def.function
(variable_declaration (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)])) @def.function
(expression_statement (assignment_expression left: (member_expression property: (property_identifier) @name) right: [(arrow_function) (function_expression)])) @def.function
(method_definition name: (_) @name) @def.method
(field_definition property: (_) @name value: [(arrow_function) (function_expression)]) @def.method
(pair key: (property_identifier) @name value: [(arrow_function) (function_expression)]) @def.method
(class_declaration name: (identifier) @name) @def.class
(class name: (identifier) @name) @def.class
(function_expression name: (identifier) @name) @def.function_expression
`,
    calls: JS_CALLS,
    imports: JS_IMPORTS,
  },
  python: {
    definitions: `
(function_definition name: (identifier) @name) @def.function
(class_definition name: (identifier) @name) @def.class
`,
    calls: `
(call function: (identifier) @callee) @call
(call function: (attribute object: (_) @receiver attribute: (identifier) @callee)) @call
`,
    imports: `
(import_statement) @import
(import_from_statement) @import
`,
  },
  go: {
    definitions: `
(function_declaration name: (identifier) @name) @def.function
(method_declaration receiver: (parameter_list) @receiver name: (field_identifier) @name) @def.method
(type_spec name: (type_identifier) @name type: (struct_type)) @def.struct
(type_spec name: (type_identifier) @name type: (interface_type)) @def.interface
`,
    calls: `
(call_expression function: (identifier) @callee) @call
(call_expression function: (selector_expression operand: (_) @receiver field: (field_identifier) @callee)) @call
`,
    imports: `(import_spec) @import`,
  },
  java: {
    definitions: `
(method_declaration name: (identifier) @name) @def.method
(constructor_declaration name: (identifier) @name) @def.constructor
(compact_constructor_declaration name: (identifier) @name) @def.constructor
(class_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(record_declaration name: (identifier) @name) @def.class
(annotation_type_declaration name: (identifier) @name) @def.interface
`,
    calls: `
(method_invocation object: (_) @receiver name: (identifier) @callee) @call
(method_invocation !object name: (identifier) @callee) @call
(object_creation_expression type: (type_identifier) @callee) @call
`,
    imports: `(import_declaration) @import`,
  },
  rust: {
    definitions: `
(function_item name: (identifier) @name) @def.function
(impl_item type: (_) @name) @def.impl
(struct_item name: (type_identifier) @name) @def.struct
(enum_item name: (type_identifier) @name) @def.enum
(union_item name: (type_identifier) @name) @def.struct
(trait_item name: (type_identifier) @name) @def.trait
(mod_item name: (identifier) @name) @def.namespace
`,
    calls: `
(call_expression function: (identifier) @callee) @call
(call_expression function: (field_expression value: (_) @receiver field: (field_identifier) @callee)) @call
(call_expression function: (scoped_identifier path: (_) @receiver name: (identifier) @callee)) @call
`,
    imports: `(use_declaration) @import`,
  },
  c: {
    definitions: `
(function_definition declarator: (_) @declarator) @def.function
(struct_specifier name: (type_identifier) @name body: (field_declaration_list)) @def.struct
(union_specifier name: (type_identifier) @name body: (field_declaration_list)) @def.struct
(enum_specifier name: (type_identifier) @name body: (enumerator_list)) @def.enum
`,
    calls: `
(call_expression function: (identifier) @callee) @call
(call_expression function: (field_expression argument: (_) @receiver field: (field_identifier) @callee)) @call
`,
    imports: `(preproc_include) @import`,
  },
  cpp: {
    definitions: `
(function_definition declarator: (_) @declarator) @def.function
(class_specifier name: (_) @name body: (field_declaration_list)) @def.class
(struct_specifier name: (_) @name body: (field_declaration_list)) @def.struct
(union_specifier name: (_) @name body: (field_declaration_list)) @def.struct
(enum_specifier name: (_) @name body: (enumerator_list)) @def.enum
(namespace_definition name: (_) @name) @def.namespace
`,
    calls: `
(call_expression function: (identifier) @callee) @call
(call_expression function: (field_expression argument: (_) @receiver field: (field_identifier) @callee)) @call
(call_expression function: (qualified_identifier scope: (_) @receiver name: (identifier) @callee)) @call
`,
    imports: `(preproc_include) @import`,
  },
  csharp: {
    definitions: `
(method_declaration name: (identifier) @name) @def.method
(constructor_declaration name: (identifier) @name) @def.constructor
(destructor_declaration name: (identifier) @name) @def.method
(local_function_statement name: (identifier) @name) @def.function
(class_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(struct_declaration name: (identifier) @name) @def.struct
(record_declaration name: (identifier) @name) @def.class
(enum_declaration name: (identifier) @name) @def.enum
(namespace_declaration name: (_) @name) @def.namespace
`,
    calls: `
(invocation_expression function: (identifier) @callee) @call
(invocation_expression function: (member_access_expression expression: (_) @receiver name: (identifier) @callee)) @call
(object_creation_expression type: (identifier) @callee) @call
`,
    imports: `(using_directive) @import`,
  },
  ruby: {
    definitions: `
(method name: (_) @name) @def.method
(singleton_method object: (_) @receiver name: (_) @name) @def.method
(class name: (_) @name) @def.class
(module name: (_) @name) @def.module
`,
    calls: `
(call receiver: (_) @receiver method: (identifier) @callee) @call
(call !receiver method: (identifier) @callee) @call
`,
    imports: `(call !receiver method: (identifier) @fn (#match? @fn "^(require|require_relative|load)$") arguments: (argument_list (string))) @import`,
  },
  php: {
    definitions: `
(function_definition name: (name) @name) @def.function
(method_declaration name: (name) @name) @def.method
(class_declaration name: (name) @name) @def.class
(interface_declaration name: (name) @name) @def.interface
(trait_declaration name: (name) @name) @def.trait
(enum_declaration name: (name) @name) @def.enum
`,
    calls: `
(function_call_expression function: (name) @callee) @call
(function_call_expression function: (qualified_name (name) @callee)) @call
(member_call_expression object: (_) @receiver name: (name) @callee) @call
(scoped_call_expression scope: (_) @receiver name: (name) @callee) @call
(object_creation_expression (name) @callee) @call
`,
    imports: `
(namespace_use_clause) @import
(require_expression) @import
(require_once_expression) @import
(include_expression) @import
(include_once_expression) @import
`,
  },
};

/**
 * Node types that add a branch to cyclomatic complexity, across grammars; types a grammar lacks are
 * dropped when its query is built. Boolean operators count as branches too (short-circuit paths).
 */
export const BRANCH_NODE_TYPES = [
  'if_statement',
  'if_expression',
  'elif_clause',
  'else_if_clause',
  'if',
  'elsif',
  'unless',
  'if_modifier',
  'unless_modifier',
  'for_statement',
  'for_in_statement',
  'for_of_statement',
  'enhanced_for_statement',
  'for_expression',
  'foreach_statement',
  'for',
  'while_statement',
  'while_expression',
  'while',
  'until',
  'loop_expression',
  'do_statement',
  'switch_case',
  'case_statement',
  'case_clause',
  'expression_case',
  'type_case',
  'communication_case',
  'switch_label',
  'switch_section',
  'match_arm',
  'when',
  'case_pattern',
  'catch_clause',
  'except_clause',
  'rescue',
  'conditional_expression',
  'ternary_expression',
  'conditional',
  'list_comprehension',
];

export const BRANCH_OPERATORS = ['&&', '||', 'and', 'or', '??'];
