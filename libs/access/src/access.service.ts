import { ForbiddenError, NotFoundError } from '@mnemolite/common';
import { apiKeys, type ApiKeyRow, type Database } from '@mnemolite/db';
import { asc, eq, sql } from 'drizzle-orm';
import { createKeySchema, keyIdParamsSchema, type ApiKeyView, type CreatedApiKey } from './key.schemas';
import { ALL_NAMESPACES, BOOTSTRAP_PRINCIPAL, mayManage, type Principal } from './principal';
import { generateKey, hashKey, looksLikeGeneratedKey, sameDigest } from './secret';

export interface AccessServiceDeps {
  db: Database;
  /** `API_KEY` from the environment: an admin key for every namespace, never stored nor listed. */
  bootstrapKey?: string;
  /**
   * While no key exists (open mode), how long that answer is trusted before the database is asked
   * again (default 1 s): a key created by another process (the CLI) switches auth on within this.
   * `Infinity` when no other process can write the store (the embedded engine's data directory is
   * locked to the API's process): keys then come only through this service, which notes them.
   */
  openRecheckMs?: number;
  /** `last_used_at` is written at most this often per key (default 60 s), not on every request. */
  touchIntervalMs?: number;
  /** Clock in milliseconds (tests). */
  now?: () => number;
}

export type Authentication = { ok: true; principal: Principal } | { ok: false; reason: 'missing' | 'unknown' | 'revoked'; message: string };

/**
 * API keys: create (the secret is returned once), list (never a secret), revoke, and the per-request
 * check. Used by the API's admin routes and by the `keys` CLI, so both apply the same rules.
 *
 * Nothing that decides whether a key is valid is cached: every request looks its key up by digest
 * (one unique-index probe), so a revocation from any process is effective on the next request.
 */
export class AccessService {
  private readonly bootstrapDigest?: Buffer;
  private readonly openRecheckMs: number;
  private readonly touchIntervalMs: number;
  private readonly now: () => number;
  /** Keys are never deleted (revocation keeps the row), so once one is seen auth stays on. */
  private keysExist = false;
  private keysCheckedAt = Number.NEGATIVE_INFINITY;
  private keysCheck?: Promise<boolean>;
  private readonly touchedAt = new Map<string, number>();

  constructor(private readonly deps: AccessServiceDeps) {
    this.bootstrapDigest = deps.bootstrapKey ? hashKey(deps.bootstrapKey) : undefined;
    this.openRecheckMs = deps.openRecheckMs ?? 1_000;
    this.touchIntervalMs = deps.touchIntervalMs ?? 60_000;
    this.now = deps.now ?? Date.now;
  }

  /**
   * Whether requests need a key: yes when `API_KEY` is set or any key was ever created (revoking
   * every key does not reopen the service); no otherwise (open mode: local use, no auth).
   */
  async authRequired(): Promise<boolean> {
    if (this.bootstrapDigest || this.keysExist) return true;
    if (this.now() - this.keysCheckedAt < this.openRecheckMs) return false;
    this.keysCheck ??= this.deps.db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .limit(1)
      .then((rows) => rows.length > 0)
      .finally(() => {
        this.keysCheck = undefined;
      });
    const found = await this.keysCheck;
    this.keysCheckedAt = this.now();
    if (found) this.keysExist = true;
    return found;
  }

  /**
   * The mode as last seen, without asking the database (for requests while it is down): `open` if
   * the last look found no key. No key can be created while the database is down, so that answer
   * stays true then.
   */
  lastKnownMode(): 'open' | 'keys' | 'unknown' {
    if (this.bootstrapDigest || this.keysExist) return 'keys';
    return this.keysCheckedAt === Number.NEGATIVE_INFINITY ? 'unknown' : 'open';
  }

  /**
   * Checks a presented key: the bootstrap key, else a stored key that is not revoked. With
   * `bootstrapOnly` the database is not read (before migrations ran, the table may not exist).
   */
  async authenticate(presented: string | undefined, options: { bootstrapOnly?: boolean } = {}): Promise<Authentication> {
    if (!presented) {
      return { ok: false, reason: 'missing', message: 'An API key is required: send "Authorization: Bearer <key>" or "X-API-Key".' };
    }
    const digest = hashKey(presented);
    if (this.bootstrapDigest && sameDigest(digest, this.bootstrapDigest)) return { ok: true, principal: BOOTSTRAP_PRINCIPAL };
    const unknown = { ok: false, reason: 'unknown', message: 'The API key is not valid.' } as const;
    // Not the shape of a generated key: no database round trip for garbage.
    if (options.bootstrapOnly || !looksLikeGeneratedKey(presented)) return unknown;
    const [row] = await this.deps.db.select().from(apiKeys).where(eq(apiKeys.keyHash, digest)).limit(1);
    if (!row || !sameDigest(row.keyHash, digest)) return unknown;
    if (row.revokedAt) return { ok: false, reason: 'revoked', message: `The API key "${row.name}" has been revoked.` };
    await this.touch(row);
    return { ok: true, principal: { kind: 'key', id: row.id, name: row.name, role: row.role, namespaces: row.namespaces } };
  }

  /**
   * Creates a key and returns it with its secret (shown this once). `by` is the admin asking (absent
   * for the operator's CLI): it may only hand out namespaces it has itself.
   */
  async create(input: unknown, by?: Principal): Promise<CreatedApiKey> {
    const { name, role, namespaces } = createKeySchema.parse(input);
    if (by && !mayManage(by, namespaces)) {
      const outside = namespaces.filter((namespace) => namespace === ALL_NAMESPACES || !by.namespaces.includes(namespace));
      throw new ForbiddenError(`The API key "${by.name}" may not create a key for namespaces it may not use: ${outside.join(', ')}.`, {
        field: 'namespaces',
        namespaces: outside,
      });
    }
    const key = generateKey();
    const [row] = await this.deps.db
      .insert(apiKeys)
      .values({ name, role, namespaces, keyHash: hashKey(key) })
      .returning();
    this.keysExist = true;
    return { id: row.id, name: row.name, role: row.role, namespaces: row.namespaces, key, created_at: row.createdAt.toISOString() };
  }

  /** Every key `by` may manage (all of them for the CLI), oldest first, without secrets. */
  async list(by?: Principal): Promise<ApiKeyView[]> {
    const rows = await this.deps.db.select().from(apiKeys).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
    return rows.filter((row) => !by || mayManage(by, row.namespaces)).map(toView);
  }

  /**
   * Revokes a key at once (the next request with it is a 401). Revoking twice keeps the first time.
   * A key `by` may not manage is a 404, like any id it cannot see.
   */
  async revoke(id: string, by?: Principal): Promise<ApiKeyView> {
    const params = keyIdParamsSchema.parse({ id });
    const [row] = await this.deps.db.select().from(apiKeys).where(eq(apiKeys.id, params.id)).limit(1);
    if (!row || (by && !mayManage(by, row.namespaces))) throw new NotFoundError(`No API key with id ${params.id}.`);
    const [revoked] = await this.deps.db
      .update(apiKeys)
      // The time is a parameter, not now(): Citus refuses non-immutable functions inside COALESCE.
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, ${new Date().toISOString()}::timestamptz)` })
      .where(eq(apiKeys.id, params.id))
      .returning();
    return toView(revoked);
  }

  /** Writes `last_used_at` at most once per interval per key and process. */
  private async touch(row: ApiKeyRow): Promise<void> {
    const now = this.now();
    const last = this.touchedAt.get(row.id) ?? row.lastUsedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
    if (now - last < this.touchIntervalMs) return;
    this.touchedAt.set(row.id, now);
    await this.deps.db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(eq(apiKeys.id, row.id));
  }
}

function toView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    namespaces: row.namespaces,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}
