import { z } from 'zod';
import { ConfigError, parseEnv } from './env';
import {
  codeIndexEnvShape,
  databaseEnvShape,
  databaseStartupEnvShape,
  loggingEnvShape,
  partitionEnvShape,
  partitionMaintenanceEnvShape,
  serverDatabaseEnvShape,
  toDatabaseConfig,
  toPartitionConfig,
} from './settings';

describe('shared settings', () => {
  const schema = z.object({
    ...loggingEnvShape('warn'),
    ...databaseEnvShape({ poolMax: 7 }),
    ...databaseStartupEnvShape,
    ...partitionEnvShape,
    ...partitionMaintenanceEnvShape,
    ...codeIndexEnvShape,
  });

  it('has the documented defaults, the app choosing the log level and pool size', () => {
    expect(parseEnv(schema, {})).toEqual({
      LOG_LEVEL: 'warn',
      DATABASE_URL: undefined,
      DB_POOL_MAX: 7,
      MNEMO_MIGRATIONS_DIR: undefined,
      MNEMO_DATA_DIR: './.mnemolite/pgdata',
      MNEMO_PGLITE_SHARED_BUFFERS_MB: 'auto',
      DB_STARTUP_RETRY_SECONDS: 60,
      EVENTS_PREMAKE_MONTHS: 4,
      PARTITION_MAINTENANCE_INTERVAL_MINUTES: 60,
      CODE_INDEX_ROOTS: [],
    });
  });

  it('makes the embedded engine or a server, never both: a server config has no data directory', () => {
    expect(toDatabaseConfig(parseEnv(schema, { MNEMO_DATA_DIR: '/var/lib/mnemo' }))).toEqual({
      engine: 'pglite',
      dataDir: '/var/lib/mnemo',
      sharedBuffersMb: 'auto',
    });
    expect(toDatabaseConfig(parseEnv(schema, { DATABASE_URL: 'postgres://u:p@db/m', DB_POOL_MAX: '3' }))).toEqual({
      engine: 'postgres',
      url: 'postgres://u:p@db/m',
      poolMax: 3,
    });
    // An empty DATABASE_URL (docker-compose's `${DATABASE_URL:-}`) means the embedded engine.
    expect(toDatabaseConfig(parseEnv(schema, { DATABASE_URL: ' ' })).engine).toBe('pglite');
  });

  it('reads partitions, migrations and index roots', () => {
    const env = parseEnv(schema, {
      EVENTS_RETENTION_MONTHS: '12',
      EVENTS_PREMAKE_MONTHS: '2',
      MNEMO_MIGRATIONS_DIR: ' /opt/migrations ',
      CODE_INDEX_ROOTS: '/src/a, /src/b,',
    });
    expect(toPartitionConfig(env)).toEqual({ retentionMonths: 12, premakeMonths: 2 });
    expect(toPartitionConfig(parseEnv(schema, {}))).toEqual({ retentionMonths: null, premakeMonths: 4 });
    expect(env.MNEMO_MIGRATIONS_DIR).toBe('/opt/migrations');
    expect(env.CODE_INDEX_ROOTS).toEqual(['/src/a', '/src/b']);
  });

  it("reads the embedded engine's page cache: auto (also when empty) or whole MB within bounds", () => {
    const read = (value: string) => parseEnv(schema, { MNEMO_PGLITE_SHARED_BUFFERS_MB: value }).MNEMO_PGLITE_SHARED_BUFFERS_MB;
    expect(read(' AUTO ')).toBe('auto');
    expect(read('')).toBe('auto');
    expect(read(' 512 ')).toBe(512);
    expect(toDatabaseConfig(parseEnv(schema, { MNEMO_PGLITE_SHARED_BUFFERS_MB: '256' }))).toMatchObject({ sharedBuffersMb: 256 });
    for (const bad of ['8', '2048', '1.5', 'lots', '-128']) {
      expect(() => read(bad)).toThrow(/MNEMO_PGLITE_SHARED_BUFFERS_MB/);
    }
  });

  it('names each bad variable', () => {
    let problems: string[] = [];
    try {
      parseEnv(schema, {
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'mysql://db',
        DB_POOL_MAX: '0',
        DB_STARTUP_RETRY_SECONDS: '-1',
        EVENTS_RETENTION_MONTHS: '0',
        EVENTS_PREMAKE_MONTHS: '99',
        PARTITION_MAINTENANCE_INTERVAL_MINUTES: 'often',
        CODE_INDEX_ROOTS: 'relative/dir',
      });
    } catch (error) {
      problems = (error as ConfigError).problems;
    }
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'LOG_LEVEL',
      'DATABASE_URL',
      'DB_POOL_MAX',
      'DB_STARTUP_RETRY_SECONDS',
      'EVENTS_RETENTION_MONTHS',
      'EVENTS_PREMAKE_MONTHS',
      'PARTITION_MAINTENANCE_INTERVAL_MINUTES',
      'CODE_INDEX_ROOTS.0',
    ]);
    expect(problems[1]).toMatch(/must start with postgres:\/\//);
    expect(problems[7]).toMatch(/each root must be an absolute path/);
  });

  it('gives the worker a server-only shape: no data directory variable at all', () => {
    expect(Object.keys(serverDatabaseEnvShape({ poolMax: 5 })).sort()).toEqual(['DATABASE_URL', 'DB_POOL_MAX', 'MNEMO_MIGRATIONS_DIR']);
  });
});
