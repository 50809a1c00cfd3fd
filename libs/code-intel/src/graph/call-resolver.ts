import type { ImportRef } from '../parsing/imports';
import { ModuleResolver } from './module-resolver';

/** A definition node as the resolver sees it. */
export interface GraphDefinition {
  id: string;
  filePath: string;
  name: string;
  qualifiedName: string;
  calls: string[];
}

/** A file node with what its top level imports and calls. */
export interface GraphFile {
  id: string;
  path: string;
  imports: ImportRef[];
  calls: string[];
}

export interface ResolvedEdge {
  source: string;
  target: string;
  relation: 'calls' | 'imports';
  properties: Record<string, unknown>;
}

export interface Resolution {
  edges: ResolvedEdge[];
  calls: { total: number; resolved: number };
}

const SELF_RECEIVERS = new Set(['this', 'self', 'super', 'Self', 'static', '$this', 'parent']);

/**
 * Links a repository's calls and imports. A call `name` or `receiver.name` resolves, in order:
 * 1. in the caller's file (preferring the caller's own class for `this`/`self` calls),
 * 2. through the file's imports (a named import, a namespace binding used as receiver, a wildcard),
 * 3. to the only definition of that name in the repository.
 * Anything else stays unresolved and is only counted.
 */
export function resolveRepositoryGraph(files: GraphFile[], definitions: GraphDefinition[]): Resolution {
  const modules = new ModuleResolver(files.map((file) => file.path));
  const byFile = groupBy(definitions, (def) => def.filePath);
  const byName = groupBy(definitions, (def) => def.name);
  const fileByPath = new Map(files.map((file) => [file.path, file]));
  const edges: ResolvedEdge[] = [];
  let total = 0;
  let resolved = 0;

  const importTargets = new Map<string, { ref: ImportRef; paths: string[] }[]>();
  for (const file of files) {
    const targets = file.imports.map((ref) => ({ ref, paths: modules.resolve(ref, file.path).filter((path) => path !== file.path) }));
    importTargets.set(file.path, targets);
    const linked = new Set<string>();
    for (const { ref, paths } of targets) {
      for (const path of paths) {
        const target = fileByPath.get(path);
        if (!target || linked.has(target.id)) continue;
        linked.add(target.id);
        edges.push({ source: file.id, target: target.id, relation: 'imports', properties: { source: ref.source } });
      }
    }
  }

  const resolveCall = (call: string, filePath: string, callerQualified: string | null): GraphDefinition | null => {
    const dot = call.lastIndexOf('.');
    const name = dot >= 0 ? call.slice(dot + 1) : call;
    const receiver = dot >= 0 ? call.slice(0, dot) : null;
    const imports = importTargets.get(filePath) ?? [];
    // A receiver naming an import: a module namespace (`fmt.Println`, `utils.f`) or an imported
    // class (`Money.format` after `import shop.util.Money`).
    const namespaceImport = receiver
      ? imports.find(
          ({ ref }) =>
            (ref.namespace && (receiver === ref.namespace || receiver.startsWith(`${ref.namespace}.`))) ||
            ref.names.some((entry) => entry.local === receiver),
        )
      : undefined;

    if (!namespaceImport) {
      const local = (byFile.get(filePath) ?? []).filter((def) => def.name === name);
      const pick = pickLocal(local, receiver, callerQualified);
      if (pick) return pick;
    }
    for (const { ref, paths } of namespaceImport ? [namespaceImport] : imports) {
      if (paths.length === 0) continue;
      let wanted: string | null = null;
      if (namespaceImport) wanted = name;
      else if (!receiver) {
        const named = ref.names.find((entry) => entry.local === name);
        if (named) wanted = named.imported === 'default' ? name : named.imported;
        else if (ref.wildcard) wanted = name;
      }
      if (!wanted) continue;
      const found = paths.flatMap((path) => (byFile.get(path) ?? []).filter((def) => def.name === wanted));
      const importedClass =
        namespaceImport && receiver ? namespaceImport.ref.names.find((entry) => entry.local === receiver)?.imported : undefined;
      const member = importedClass ? found.find((def) => def.qualifiedName === `${importedClass}.${wanted}`) : undefined;
      if (member) return member;
      if (found.length > 0) return topLevelFirst(found);
    }
    const everywhere = byName.get(name) ?? [];
    return everywhere.length === 1 ? everywhere[0] : null;
  };

  const link = (sourceId: string, calls: string[], filePath: string, callerQualified: string | null): void => {
    // One edge per resolved callee name (names are unique per caller), so that the stored edges
    // and the stored call lists give the resolution ratio without re-running the resolver.
    for (const call of calls) {
      total += 1;
      const target = resolveCall(call, filePath, callerQualified);
      if (!target) continue;
      resolved += 1;
      edges.push({ source: sourceId, target: target.id, relation: 'calls', properties: { call } });
    }
  };

  for (const def of definitions) link(def.id, def.calls, def.filePath, def.qualifiedName);
  for (const file of files) link(file.id, file.calls, file.path, null);
  return { edges, calls: { total, resolved } };
}

function pickLocal(candidates: GraphDefinition[], receiver: string | null, callerQualified: string | null): GraphDefinition | null {
  if (candidates.length <= 1) return candidates[0] ?? null;
  if (callerQualified && (receiver === null || SELF_RECEIVERS.has(receiver))) {
    const scope = callerQualified.split('.').slice(0, -1).join('.');
    const sibling = candidates.find((def) => def.qualifiedName === `${scope}.${def.name}`);
    if (sibling) return sibling;
  }
  return topLevelFirst(candidates);
}

function topLevelFirst(candidates: GraphDefinition[]): GraphDefinition {
  return candidates.find((def) => def.qualifiedName === def.name) ?? candidates[0];
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}
