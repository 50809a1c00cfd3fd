import { sql } from 'drizzle-orm';
import { check, customType, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const API_KEY_ROLES = ['read', 'write', 'admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** SHA-256 digests, kept as raw bytes (32) rather than hex text: half the index size. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType() {
    return 'bytea';
  },
  fromDriver(value) {
    return Buffer.from(value);
  },
});

/**
 * API keys. Only the SHA-256 of a key is kept (the key itself is shown once, at creation); a request
 * finds its key by that digest through the unique index. `namespaces` is the list the key may use,
 * or `{*}` for all. A revoked key keeps its row (its history stays listable) with `revoked_at` set.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    role: text('role').$type<ApiKeyRole>().notNull(),
    namespaces: text('namespaces').array().notNull(),
    keyHash: bytea('key_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('api_keys_key_hash_idx').on(t.keyHash),
    check('api_keys_role_check', sql`${t.role} in ('read', 'write', 'admin')`),
    check('api_keys_namespaces_check', sql`cardinality(${t.namespaces}) >= 1`),
  ],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
