import { ConfigError, loadWorkerConfig } from './config';

describe('loadWorkerConfig', () => {
  it('is disabled by default and needs nothing else then', () => {
    expect(loadWorkerConfig({})).toEqual({ enabled: false, logLevel: 'info' });
    expect(loadWorkerConfig({ WORKER_ENABLED: 'false' }).enabled).toBe(false);
  });

  it('requires a database server when enabled', () => {
    expect(() => loadWorkerConfig({ WORKER_ENABLED: 'true' })).toThrow(/DATABASE_URL: required/);
  });

  it('reads the settings when enabled', () => {
    const config = loadWorkerConfig({
      WORKER_ENABLED: 'yes',
      DATABASE_URL: 'postgres://db/mnemo',
      WORKER_CONCURRENCY: '4',
      EVENTS_RETENTION_MONTHS: '6',
      DB_STARTUP_RETRY_SECONDS: '5',
    });
    expect(config).toMatchObject({
      enabled: true,
      database: { engine: 'postgres', url: 'postgres://db/mnemo', poolMax: 5 },
      concurrency: 4,
      retentionMonths: 6,
      startupRetrySeconds: 5,
    });
    expect(loadWorkerConfig({ WORKER_ENABLED: 'true', DATABASE_URL: 'postgres://db/mnemo' })).toMatchObject({ startupRetrySeconds: 60 });
  });

  it('rejects an embedding dimension the database cannot store', () => {
    expect(() => loadWorkerConfig({ WORKER_ENABLED: 'true', DATABASE_URL: 'postgres://db/mnemo', EMBEDDING_DIMENSION: '384' })).toThrow(
      /EMBEDDING_DIMENSION: is 384, but the database stores 768-dimensional vectors/,
    );
  });

  it('rejects nonsense, listing every problem', () => {
    try {
      loadWorkerConfig({ WORKER_ENABLED: 'maybe', WORKER_CONCURRENCY: '0' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });
});
