import { API_KEY_ROLES, type ApiKeyRole } from '@mnemolite/db';

export { API_KEY_ROLES as ROLES };
export type Role = ApiKeyRole;

/** Each role includes the ones before it: a write key reads, an admin key reads and writes. */
const RANK: Record<Role, number> = { read: 0, write: 1, admin: 2 };

export function roleAllows(held: Role, needed: Role): boolean {
  return RANK[held] >= RANK[needed];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (API_KEY_ROLES as readonly string[]).includes(value);
}
