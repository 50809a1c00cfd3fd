import { DEFAULT_NAMESPACE, ForbiddenError, NAMESPACE_HEADER, ValidationError } from '@mnemolite/common';
import type { Role } from './roles';

/** The namespaces entry that means "every namespace". */
export const ALL_NAMESPACES = '*';

/**
 * Who is calling: a stored key, the bootstrap key from `API_KEY`, or anyone while the service is
 * open (no key configured at all). `namespaces` is a list, or `["*"]` for all of them.
 */
export interface Principal {
  kind: 'key' | 'bootstrap' | 'open';
  /** The key's id; `"API_KEY"` for the bootstrap key, `"open"` in open mode. */
  id: string;
  /** The key's name; null in open mode. */
  name: string | null;
  role: Role;
  namespaces: readonly string[];
}

export const OPEN_PRINCIPAL: Principal = { kind: 'open', id: 'open', name: null, role: 'admin', namespaces: [ALL_NAMESPACES] };
export const BOOTSTRAP_PRINCIPAL: Principal = {
  kind: 'bootstrap',
  id: 'API_KEY',
  name: 'API_KEY',
  role: 'admin',
  namespaces: [ALL_NAMESPACES],
};

export function allowsAllNamespaces(principal: Pick<Principal, 'namespaces'>): boolean {
  return principal.namespaces.includes(ALL_NAMESPACES);
}

export function mayUseNamespace(principal: Pick<Principal, 'namespaces'>, namespace: string): boolean {
  return allowsAllNamespaces(principal) || principal.namespaces.includes(namespace);
}

function describe(principal: Principal): string {
  return principal.name === null ? 'This request' : `The API key "${principal.name}"`;
}

/**
 * The namespace a request works in: the one it names (which the key must be allowed to use, else
 * 403 naming it); otherwise the key's only namespace; otherwise "default" when the key may use it.
 * A key with several namespaces and no "default" must name one: 400 naming the header.
 */
export function chooseNamespace(principal: Principal, named: string | undefined): string {
  if (named !== undefined) {
    if (!mayUseNamespace(principal, named)) {
      throw new ForbiddenError(`${describe(principal)} may not use namespace "${named}".`, {
        namespace: named,
        allowed: principal.namespaces,
      });
    }
    return named;
  }
  if (!allowsAllNamespaces(principal) && principal.namespaces.length === 1) return principal.namespaces[0];
  if (mayUseNamespace(principal, DEFAULT_NAMESPACE)) return DEFAULT_NAMESPACE;
  throw new ValidationError(
    `${describe(principal)} may use several namespaces (${principal.namespaces.join(', ')}): name one with ${NAMESPACE_HEADER}.`,
    { field: NAMESPACE_HEADER, allowed: principal.namespaces },
  );
}

/** Whether `principal` may see and manage a key with these namespaces: only keys within its own. */
export function mayManage(principal: Pick<Principal, 'namespaces'>, keyNamespaces: readonly string[]): boolean {
  if (allowsAllNamespaces(principal)) return true;
  return !keyNamespaces.includes(ALL_NAMESPACES) && keyNamespaces.every((namespace) => principal.namespaces.includes(namespace));
}
