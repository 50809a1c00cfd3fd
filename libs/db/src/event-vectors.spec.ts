import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createTestDb, testEngineName, type TestDb } from './testing';
import { queryRows } from './database';
import { monthStart, partitionName, runPartitionMaintenance } from './partitions';

const engine = testEngineName();

/** A 768-d vector with one non-zero component, as pgvector's text form. */
function unit(dimension: number): string {
  return `[${Array.from({ length: 768 }, (_, i) => (i === dimension ? 1 : 0)).join(',')}]`;
}

describe(`event_vectors kept in step with events (${engine})`, () => {
  let handle: TestDb;
  const now = new Date();

  beforeAll(async () => {
    handle = await createTestDb();
    await runPartitionMaintenance(handle.db, { premakeMonths: 2, retentionMonths: null });
  });
  afterAll(async () => {
    await handle.close();
  });

  async function insert(id: string, at: Date, vector: string | null, model = 'm1'): Promise<void> {
    await handle.db.execute(
      sql`insert into events (id, "timestamp", content, embedding, embedding_model)
          values (${id}, ${at.toISOString()}::timestamptz, '{"text":"x"}', ${vector}::vector, ${vector ? model : null})`,
    );
  }

  async function vectorRows(id: string): Promise<{ timestamp: string; model: string; first: number; second: number; xmin: string }[]> {
    return queryRows(
      handle.db,
      sql`select to_char("timestamp" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as timestamp, embedding_model as model,
                 (embedding::vector::real[])[1] as first, (embedding::vector::real[])[2] as second, xmin::text as xmin
            from event_vectors where id = ${id}`,
    );
  }

  it('copies the vector of an inserted event (batch or single), not an event without one', async () => {
    const [a, b, none] = [randomUUID(), randomUUID(), randomUUID()];
    await handle.db.execute(
      sql`insert into events (id, content, embedding, embedding_model)
          values (${a}, '{"text":"a"}', ${unit(0)}::vector, 'm1'), (${b}, '{"text":"b"}', ${unit(1)}::vector, 'm2'),
                 (${none}, '{"text":"none"}', null, null)`,
    );
    expect(await vectorRows(a)).toEqual([expect.objectContaining({ model: 'm1', first: 1, second: 0 })]);
    expect(await vectorRows(b)).toEqual([expect.objectContaining({ model: 'm2', first: 0, second: 1 })]);
    expect(await vectorRows(none)).toEqual([]);
  });

  it('leaves the vector row alone on a content edit, follows a new vector, model or removal', async () => {
    const id = randomUUID();
    await insert(id, now, unit(0));
    const [before] = await vectorRows(id);
    await handle.db.execute(sql`update events set content = '{"text":"edited"}' where id = ${id}`);
    expect(await vectorRows(id)).toEqual([before]);

    await handle.db.execute(sql`update events set embedding = ${unit(1)}::vector, embedding_model = 'm2' where id = ${id}`);
    expect(await vectorRows(id)).toEqual([expect.objectContaining({ model: 'm2', first: 0, second: 1 })]);

    await handle.db.execute(sql`update events set embedding = null, embedding_model = null where id = ${id}`);
    expect(await vectorRows(id)).toEqual([]);
    await handle.db.execute(sql`update events set embedding = ${unit(0)}::vector, embedding_model = 'm1' where id = ${id}`);
    expect(await vectorRows(id)).toEqual([expect.objectContaining({ model: 'm1', first: 1 })]);
  });

  it('follows an event moved to another month by a timestamp update', async () => {
    const id = randomUUID();
    const current = monthStart(now);
    await insert(id, new Date(current.getTime() + 86_400_000), unit(2));
    const next = new Date(monthStart(now, 1).getTime() + 86_400_000);
    await handle.db.execute(sql`update events set "timestamp" = ${next.toISOString()}::timestamptz where id = ${id}`);
    expect((await vectorRows(id)).map((row) => row.timestamp)).toEqual([next.toISOString().slice(0, 19)]);
  });

  it('drops the vector row with its event, in the same transaction', async () => {
    const id = randomUUID();
    await insert(id, now, unit(3));
    await expect(
      handle.db.transaction(async (tx) => {
        await tx.execute(sql`delete from events where id = ${id}`);
        const [inside] = await queryRows<{ n: number }>(tx, sql`select count(*)::int as n from event_vectors where id = ${id}`);
        expect(inside?.n).toBe(0);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await vectorRows(id)).toHaveLength(1);
    await handle.db.execute(sql`delete from events where id = ${id}`);
    expect(await vectorRows(id)).toEqual([]);
  });

  it('keeps one vector row for a back-dated event that maintenance moves out of the default partition', async () => {
    const id = randomUUID();
    const old = new Date(Date.UTC(now.getUTCFullYear() - 2, 3, 10, 8));
    await insert(id, old, unit(4));
    const [before] = await vectorRows(id);
    await runPartitionMaintenance(handle.db, { premakeMonths: 2, retentionMonths: null });
    const [place] = await queryRows<{ place: string }>(handle.db, sql`select tableoid::regclass::text as place from events where id = ${id}`);
    expect(place?.place).toBe(partitionName(monthStart(old)));
    expect(await vectorRows(id)).toEqual([before]);
  });

  it('removes the vectors of partitions dropped by retention, keeps the others', async () => {
    const [old, recent] = [randomUUID(), randomUUID()];
    await insert(old, new Date(Date.UTC(now.getUTCFullYear() - 3, 1, 5)), unit(5));
    await insert(recent, now, unit(6));
    await runPartitionMaintenance(handle.db, { premakeMonths: 2, retentionMonths: null });
    expect(await vectorRows(old)).toHaveLength(1);
    const report = await runPartitionMaintenance(handle.db, { premakeMonths: 2, retentionMonths: 12 });
    expect(report.dropped.length).toBeGreaterThan(0);
    expect(await vectorRows(old)).toEqual([]);
    expect(await vectorRows(recent)).toHaveLength(1);
    const [orphans] = await queryRows<{ n: number }>(
      handle.db,
      sql`select count(*)::int as n from event_vectors v
           where not exists (select 1 from events e where e.id = v.id and e."timestamp" = v."timestamp")`,
    );
    expect(orphans?.n).toBe(0);
  });

  it('is emptied with events by TRUNCATE', async () => {
    await insert(randomUUID(), now, unit(7));
    await handle.db.execute(sql`truncate events`);
    const [left] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from event_vectors`);
    expect(left?.n).toBe(0);
  });
});
