import { eq, sql } from 'drizzle-orm';
import { localSettings } from './citus';
import { queryRows, type Database } from './database';
import type { DatabaseExecutor } from './executor';
import { searchSettings } from './schema';

/** The text search configuration new databases start with (stemming, English stop words). */
export const DEFAULT_TEXT_SEARCH_CONFIG = 'english';

export interface TextSearchConfigChange {
  previous: string;
  current: string;
  /** Events whose `search_text` was rewritten (0 when the configuration was already in place). */
  rewritten: number;
}

/** The `search_settings` key of the text search configuration. */
const CONFIG_KEY = 'text_search_config';

/** The configuration `events.search_text` is written with and queries are analysed with. */
export async function currentTextSearchConfig(db: DatabaseExecutor): Promise<string> {
  const [row] = await db.select({ value: searchSettings.value }).from(searchSettings).where(eq(searchSettings.key, CONFIG_KEY));
  return row?.value ?? DEFAULT_TEXT_SEARCH_CONFIG;
}

/**
 * Puts `config` in place (TEXT_SEARCH_CONFIG at start-up). When the database was written with another
 * configuration, every event's `search_text` is rewritten and the BM25 statistics recounted, in one
 * transaction, so stored rows and queries never disagree. A name PostgreSQL does not know is an error
 * naming the configurations it has.
 */
export async function applyTextSearchConfig(db: Database, config: string): Promise<TextSearchConfigChange> {
  const known = await queryRows<{ name: string }>(db, sql`select cfgname as name from pg_ts_config order by cfgname`);
  if (!known.some((row) => row.name === config)) {
    throw new Error(
      `TEXT_SEARCH_CONFIG is "${config}", which this PostgreSQL does not have; it has: ${known.map((row) => row.name).join(', ')}`,
    );
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select({ value: searchSettings.value })
      .from(searchSettings)
      .where(eq(searchSettings.key, CONFIG_KEY))
      .for('update');
    const previous = row?.value ?? DEFAULT_TEXT_SEARCH_CONFIG;
    if (previous === config) return { previous, current: config, rewritten: 0 };
    await tx
      .insert(searchSettings)
      .values({ key: CONFIG_KEY, value: config })
      .onConflictDoUpdate({ target: searchSettings.key, set: { value: config } });
    // The statistics triggers would subtract and re-add every row: the recount below replaces that.
    // On Citus the triggers run on the workers: localSettings sends the setting there (SET LOCAL).
    for (const statement of localSettings(db, { 'mnemolite.search_stats_paused': 'on' })) await tx.execute(statement);
    const rewritten = await queryRows<{ count: number }>(
      tx,
      sql`with updated as (
            update events set search_text = jsonb_to_tsvector(${config}::regconfig, content, '["string"]'::jsonb)
            returning 1)
          select count(*)::int as count from updated`,
    );
    for (const statement of localSettings(db, { 'mnemolite.search_stats_paused': 'off' })) await tx.execute(statement);
    await rebuildSearchStats(tx);
    return { previous, current: config, rewritten: rewritten[0]?.count ?? 0 };
  });
}

/**
 * Recounts the BM25 statistics (document frequencies, event and token counts) from the stored rows.
 * Needed when rows leave without the triggers seeing them: retention drops whole partitions.
 */
export async function rebuildSearchStats(db: DatabaseExecutor): Promise<void> {
  await db.execute(sql`select search_stats_rebuild()`);
}
