import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentedSettings, schemaDefaults } from '@mnemolite/common/testing';
import { workerEnvSchema } from './config';

const README = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

describe('README configuration table (worker)', () => {
  it('documents every variable the worker reads, with its default, and nothing else', () => {
    const documented = documentedSettings(README, '### Worker (`apps/worker`)', {
      groups: { 'the embedding variables': '### Embeddings (API and worker)' },
      inherit: { 'as for the API': ['### API (`apps/api`)', '### Embeddings (API and worker)'] },
    });
    expect(documented).toEqual(schemaDefaults(workerEnvSchema));
  });
});
