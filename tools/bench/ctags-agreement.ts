/**
 * Agreement of the chunker with Universal Ctags over a real tree:
 *   npm run bench:ctags -- --path DIR [--max-files N] [--show-missing N]
 * Prints, per language, how many ctags functions/methods/classes a chunk matches (rules in
 * `measureAgreement`).
 */
import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_FILE_BYTES, TreeSitterRuntime, detectLanguage, isParsedLanguage } from '@mnemolite/code-intel';
import { measureAgreement } from '@mnemolite/code-intel/testing';

async function listFiles(dir: string, root: string, out: string[], max: number): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (out.length >= max) return;
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '.git' && entry.name !== 'node_modules') await listFiles(path, root, out, max);
    else if (entry.isFile() && isParsedLanguage(detectLanguage(entry.name)) && statSync(path).size <= MAX_FILE_BYTES)
      out.push(relative(root, path));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { path: { type: 'string' }, 'max-files': { type: 'string' }, 'show-missing': { type: 'string' } },
  });
  if (!values.path) throw new Error('Usage: npm run bench:ctags -- --path DIR [--max-files N] [--show-missing N]');
  const files: string[] = [];
  await listFiles(values.path, values.path, files, Number(values['max-files'] ?? 5000));
  const runtime = new TreeSitterRuntime();
  const report = await measureAgreement(runtime, files, values.path);
  await runtime.close();
  console.log(`files: ${files.length}`);
  console.log('language    ctags tags   matched   agreement');
  for (const [language, stats] of Object.entries(report.languages)) {
    console.log(
      `${language.padEnd(11)} ${String(stats.tags).padStart(10)} ${String(stats.matched).padStart(9)} ${(stats.ratio * 100).toFixed(2).padStart(10)}%`,
    );
  }
  console.log(
    `${'all'.padEnd(11)} ${String(report.tags).padStart(10)} ${String(report.matched).padStart(9)} ${(report.ratio * 100).toFixed(2).padStart(10)}%`,
  );
  for (const tag of report.missing.slice(0, Number(values['show-missing'] ?? 0)))
    console.log(`  missing ${tag.kind} ${tag.name} ${tag.path}:${tag.line}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
