/**
 * Writes docker-compose.yml and .env.example at the workspace root from the deployment config.
 * `npx nx run docker-config:generate` (add `--args=--check` to only report files that differ).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultDeploymentConfig } from '../config';
import { generatedFiles } from '../generated-files';

const root = resolve(__dirname, '..', '..', '..', '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, content] of Object.entries(generatedFiles(defaultDeploymentConfig))) {
  const path = join(root, file);
  let current: string | null = null;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = null;
  }
  if (current === content) {
    process.stdout.write(`${file}: up to date\n`);
  } else if (check) {
    stale += 1;
    process.stdout.write(`${file}: differs from the generator's output\n`);
  } else {
    writeFileSync(path, content);
    process.stdout.write(`${file}: written\n`);
  }
}
process.exitCode = stale ? 1 : 0;
