import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { documentedSettings, schemaDefaults } from '@mnemolite/common/testing';
import { apiEnvSchema } from './config';

const README = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

describe('README configuration tables (API)', () => {
  it('document every variable the API reads, with its default, and nothing else', () => {
    const documented = new Map([
      ...documentedSettings(README, '### API (`apps/api`)'),
      ...documentedSettings(README, '### Embeddings (API and worker)'),
    ]);
    expect(documented).toEqual(schemaDefaults(apiEnvSchema));
  });
});
