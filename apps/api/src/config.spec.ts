import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults for a fresh machine', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1',
      port: 8000,
      logLevel: 'info',
      database: { engine: 'pglite', dataDir: './.mnemolite/pgdata', sharedBuffersMb: 'auto' },
      migrationsDir: undefined,
      startupRetrySeconds: 60,
      maxBodyBytes: 10 * 1024 * 1024,
      apiKey: undefined,
      rateLimitPerMinute: 600_000,
      retentionMonths: null,
      premakeMonths: 4,
      maintenanceIntervalMinutes: 60,
      shutdownTimeoutMs: 10_000,
      textSearchConfig: 'english',
      codeIndexRoots: [],
      corsOrigins: [],
      embeddings: {
        mode: 'auto',
        textModel: 'nomic-ai/nomic-embed-text-v1.5',
        codeModel: 'jinaai/jina-embeddings-v2-base-code',
        dimension: 768,
        dtype: 'q8',
        modelsDir: './.mnemolite/models',
        allowRemote: true,
        batchSize: 16,
      },
    });
  });

  it('reads the environment', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '9000',
      DATABASE_URL: 'postgres://u:p@db:5432/mnemo',
      API_KEY: 'a-long-enough-secret-key',
      EVENTS_RETENTION_MONTHS: '12',
      MAX_BODY_BYTES: '2048',
      DB_STARTUP_RETRY_SECONDS: '0',
      MNEMO_MIGRATIONS_DIR: '/opt/mnemolite/migrations',
    });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 9000,
      database: { engine: 'postgres', url: 'postgres://u:p@db:5432/mnemo', poolMax: 10 },
      migrationsDir: '/opt/mnemolite/migrations',
      apiKey: 'a-long-enough-secret-key',
      retentionMonths: 12,
      maxBodyBytes: 2048,
      startupRetrySeconds: 0,
    });
    expect(() => loadConfig({ DB_STARTUP_RETRY_SECONDS: '-1' })).toThrow(/DB_STARTUP_RETRY_SECONDS/);
  });

  it('reads TEXT_SEARCH_CONFIG as a configuration name', () => {
    expect(loadConfig({ TEXT_SEARCH_CONFIG: 'simple' }).textSearchConfig).toBe('simple');
    expect(() => loadConfig({ TEXT_SEARCH_CONFIG: "english'; drop table events" })).toThrow(/TEXT_SEARCH_CONFIG/);
  });

  it('reads CODE_INDEX_ROOTS as absolute directories', () => {
    expect(loadConfig({ CODE_INDEX_ROOTS: '/srv/repos, /home/me/code' }).codeIndexRoots).toEqual(['/srv/repos', '/home/me/code']);
    expect(() => loadConfig({ CODE_INDEX_ROOTS: 'relative/dir' })).toThrow(/CODE_INDEX_ROOTS/);
  });

  it('reads CORS_ORIGINS as exact origins', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:3000' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
    for (const bad of ['https://app.example.com/', 'app.example.com', 'https://a.example.com/path', '*', 'ftp://x.example.com']) {
      expect(() => loadConfig({ CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
    }
  });

  it('reads RATE_LIMIT_PER_MINUTE, 0 disabling the limit', () => {
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '120' }).rateLimitPerMinute).toBe(120);
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0' }).rateLimitPerMinute).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', API_KEY: ' ', EVENTS_RETENTION_MONTHS: '' })).toMatchObject({
      database: { engine: 'pglite', dataDir: './.mnemolite/pgdata', sharedBuffersMb: 'auto' },
      apiKey: undefined,
      retentionMonths: null,
    });
  });

  it('reads the embedding settings', () => {
    expect(
      loadConfig({ EMBEDDING_MODE: 'hash', EMBEDDING_DTYPE: 'fp32', EMBEDDING_ALLOW_REMOTE: 'false', MODELS_DIR: '/models' }).embeddings,
    ).toMatchObject({ mode: 'hash', dtype: 'fp32', allowRemote: false, modelsDir: '/models' });
  });

  it('rejects an embedding dimension the database cannot store, naming both numbers', () => {
    expect(() => loadConfig({ EMBEDDING_DIMENSION: '384' })).toThrow(
      /EMBEDDING_DIMENSION: is 384, but the database stores 768-dimensional vectors/,
    );
  });

  it('fails fast listing every problem', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', API_KEY: 'short', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT:/m);
    expect(problems).toMatch(/^DATABASE_URL:/m);
    expect(problems).toMatch(/^API_KEY:/m);
    expect(problems).toMatch(/^LOG_LEVEL:/m);
  });
});
