import { sql } from 'drizzle-orm';
import { createDb, PGLITE_RANDOM_PAGE_COST } from './client';
import { queryRows } from './database';
import type { DbHandle } from './database';

describe('PGlite between statements', () => {
  let handle: DbHandle;

  beforeAll(async () => {
    handle = await createDb({ engine: 'pglite', dataDir: 'memory://fairness' });
  });
  afterAll(async () => {
    await handle.close();
  });

  it('lets the event loop run (timers, sockets) while a queue of statements drains', async () => {
    const finished: number[] = [];
    let timerRanAfter: number | null = null;
    const statements = Array.from({ length: 40 }, (_, index) =>
      handle.db.execute(sql`select count(*) from generate_series(1, 20000)`).then(() => finished.push(index)),
    );
    // Scheduled once all 40 statements are queued: without a turn of the event loop between
    // statements it would run only after the whole queue.
    setTimeout(() => {
      timerRanAfter = finished.length;
    }, 0);
    await Promise.all(statements);
    expect(timerRanAfter).not.toBeNull();
    expect(timerRanAfter).toBeLessThan(40);
  });

  it('prices random page reads as cached ones, in every statement and transaction', async () => {
    const [plain] = await queryRows<{ random_page_cost: string }>(handle.db, sql`show random_page_cost`);
    expect(Number(plain.random_page_cost)).toBe(PGLITE_RANDOM_PAGE_COST);
    const inTransaction = await handle.db.transaction((tx) => queryRows<{ random_page_cost: string }>(tx, sql`show random_page_cost`));
    expect(Number(inTransaction[0].random_page_cost)).toBe(PGLITE_RANDOM_PAGE_COST);
  });
});
