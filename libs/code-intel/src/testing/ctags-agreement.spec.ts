import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { TreeSitterRuntime } from '../parsing/tree-sitter-runtime';
import { measureAgreement, runCtags } from './ctags-agreement';

const FIXTURES = join(__dirname, '..', '..', 'test-fixtures', 'ctags');

describe('agreement with Universal Ctags (acceptance 1)', () => {
  const runtime = new TreeSitterRuntime();
  afterAll(() => runtime.close());

  it('runs ctags (installed on every machine that runs these tests)', async () => {
    const tags = await runCtags(['server.go'], FIXTURES);
    expect(tags).toContainEqual(expect.objectContaining({ name: 'Handle', kind: 'func', line: 31, path: 'server.go' }));
  });

  it('covers >= 98% of the functions, methods and classes ctags lists, in at least 5 languages', async () => {
    const report = await measureAgreement(runtime, readdirSync(FIXTURES).sort(), FIXTURES);
    const languages = Object.entries(report.languages).filter(([, stats]) => stats.tags >= 5);
    expect(languages.map(([language]) => language).sort()).toEqual(['c', 'go', 'java', 'javascript', 'python', 'ruby', 'rust']);
    for (const [language, stats] of languages) {
      expect({ language, ratio: stats.ratio }).toEqual({ language, ratio: expect.any(Number) });
      expect(stats.ratio).toBeGreaterThanOrEqual(0.98);
    }
    expect(report.tags).toBeGreaterThanOrEqual(70);
    expect(report.missing).toEqual([]);
  });
});
