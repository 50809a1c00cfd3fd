import { execFileSync } from 'node:child_process';
import { cosineSimilarity } from './vectors';
import { HashEmbedder, hashModelId } from './hash-embedder';
import { analyseEnglish, tokenize } from './text-analysis';

/** Related pairs share words (the hash embedder's notion of meaning); each is checked against every other pair. */
const PAIRS: [string, string][] = [
  ['The cat sat on the warm mat', 'A cat was sitting on a mat'],
  ['PostgreSQL stores vectors with pgvector', 'pgvector adds vector storage to PostgreSQL'],
  ['The meeting was moved to Tuesday afternoon', 'Tuesday afternoon meeting rescheduled'],
  ['User login failed because the password expired', 'The password expired so login failed'],
  ['Quarterly revenue grew in Europe', 'European revenue growth this quarter'],
  ['Deploy the API with Docker Compose', 'Docker Compose deployment of the API'],
  ['The garden needs water every morning', 'Water the garden in the morning'],
  ['Flight to Berlin departs at nine', 'The Berlin flight leaves at nine'],
  ['Refactor the parser to handle unicode', 'The parser should handle unicode input'],
  ['Coffee machine on the third floor is broken', 'Broken coffee machine, third floor'],
  ['Invoice 4411 was paid by bank transfer', 'Bank transfer paid invoice 4411'],
  ['The model embeds text into vectors', 'Text embedding model producing vectors'],
  ['Remember to renew the passport in March', 'Passport renewal due in March'],
  ['getUserById returns null for unknown ids', 'get user by id returns null'],
  ['The tests run against a throwaway cluster', 'Throwaway cluster for running tests'],
  ['Alice prefers dark mode in the editor', 'Editor dark mode is what Alice prefers'],
  ['Memory usage spikes during indexing', 'Indexing causes memory usage spikes'],
  ['The river flooded the lower village', 'Lower village flooded by the river'],
  ['Chess club meets on Friday evenings', 'Friday evening chess club meeting'],
  ['Backups are stored in the cold bucket', 'Cold bucket stores the backups'],
];

describe('HashEmbedder', () => {
  const embedder = new HashEmbedder(768);

  it('names its algorithm and dimension as the model id', () => {
    expect(embedder.modelId).toBe('hash-v2-768');
    expect(hashModelId(256)).toBe('hash-v2-256');
  });

  it('produces L2-normalised vectors of the configured dimension', async () => {
    const [vector] = await embedder.embed(['hello world'], { kind: 'document' });
    expect(vector).toHaveLength(768);
    expect(Math.sqrt(vector.reduce((s, v) => s + v * v, 0))).toBeCloseTo(1, 6);
  });

  it('splits identifiers and lower-cases', () => {
    expect(tokenize('getUserById HTTPServer snake_case Ünïcode')).toEqual([
      'get',
      'user',
      'by',
      'id',
      'http',
      'server',
      'snake',
      'case',
      'ünïcode',
    ]);
  });

  it('drops English stop words and folds word forms to Snowball stems, as PostgreSQL english does', () => {
    expect(analyseEnglish('The services were deployed and running').map((word) => word.stem)).toEqual(['servic', 'deploy', 'run']);
    expect(embedder.embedOne('the cat sat on the mat')).toEqual(embedder.embedOne('cat sat mat'));
    const deploy = embedder.embedOne('deploy the service');
    expect(cosineSimilarity(deploy, embedder.embedOne('deployed services'))).toBeGreaterThan(0.8);
  });

  it('weighs repeated words sub-linearly', () => {
    // Linear counts would give the single word a cosine of about 0.24 here; 1 + ln(4) gives about 0.4.
    const repeated = embedder.embedOne('alpha alpha alpha alpha beta');
    expect(cosineSimilarity(repeated, embedder.embedOne('beta'))).toBeGreaterThan(0.3);
  });

  it('lets unseen forms of a word meet through character n-grams', () => {
    const seen = embedder.embedOne('pgvector');
    expect(cosineSimilarity(seen, embedder.embedOne('pgvectors'))).toBeGreaterThan(0.5);
    expect(cosineSimilarity(seen, embedder.embedOne('postgres'))).toBeLessThan(0.2);
  });

  it('weighs query features by the given term weights (idf), documents never', async () => {
    const termWeight = (stem: string) => (stem === 'rare' ? 5 : 0.2);
    const [query] = await embedder.embed(['rare common'], { kind: 'query', termWeight });
    expect(cosineSimilarity(query, embedder.embedOne('rare'))).toBeGreaterThan(cosineSimilarity(query, embedder.embedOne('common')) + 0.5);
    const [document] = await embedder.embed(['rare common'], { kind: 'document', termWeight });
    expect(document).toEqual(embedder.embedOne('rare common'));
  });

  it('scores related pairs above unrelated ones in >= 90% of comparisons', () => {
    const vectors = PAIRS.map(([a, b]) => [embedder.embedOne(a), embedder.embedOne(b)] as const);
    let wins = 0;
    let comparisons = 0;
    for (let i = 0; i < vectors.length; i++) {
      const related = cosineSimilarity(vectors[i][0], vectors[i][1]);
      for (let j = 0; j < vectors.length; j++) {
        if (i === j) continue;
        comparisons++;
        if (related > cosineSimilarity(vectors[i][0], vectors[j][1])) wins++;
      }
    }
    expect(comparisons).toBe(380);
    expect(wins / comparisons).toBeGreaterThanOrEqual(0.9);
  });

  it('is deterministic across processes', () => {
    const script = `
      const { HashEmbedder } = require('./hash-embedder');
      const v = new HashEmbedder(768).embedOne('Deterministic across processes, getUserById');
      process.stdout.write(JSON.stringify(Array.from(v)));`;
    const child = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: __dirname, encoding: 'utf8' });
    const here = Array.from(embedder.embedOne('Deterministic across processes, getUserById'));
    expect(JSON.parse(child)).toEqual(here);
  });

  it('rejects empty or whitespace-only texts instead of embedding zeros', async () => {
    await expect(embedder.embed([' \n\t '], { kind: 'query' })).rejects.toThrow(/empty or whitespace-only/);
    await expect(embedder.embed([''], { kind: 'document' })).rejects.toMatchObject({ code: 'validation_error' });
  });
});
