import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveMigrationsDir } from '../migrate';

/**
 * A migrations folder for the Citus tests and benchmark: the committed migrations plus, while the
 * namespace migration (0004, branch issue-13-ns) is not on main, a stand-in for it
 * (citus-fixture/0004_namespaces_standin.sql). Once a `*_namespaces` migration is committed, the
 * folder is the committed one and this helper (and the fixture) can go. The caller removes the folder.
 */
export function migrationsWithNamespaces(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mnemolite-citus-migrations-'));
  cpSync(resolveMigrationsDir(), dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as {
    entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[];
  };
  const last = journal.entries[journal.entries.length - 1];
  if (!journal.entries.some((entry) => entry.tag.endsWith('_namespaces'))) {
    const tag = '0004_namespaces_standin';
    cpSync(join(__dirname, 'citus-fixture', `${tag}.sql`), join(dir, `${tag}.sql`));
    journal.entries.push({ ...last, idx: last.idx + 1, when: last.when + 1000, tag });
    writeFileSync(journalPath, JSON.stringify(journal));
  }
  return dir;
}
