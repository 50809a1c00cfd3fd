import { ConfigError, loadMcpConfig } from './config';

describe('stdio MCP server configuration', () => {
  it('works through the API when MNEMOLITE_URL is set, sending MNEMOLITE_API_KEY', () => {
    expect(loadMcpConfig({ MNEMOLITE_URL: 'http://127.0.0.1:8000', MNEMOLITE_API_KEY: 'k'.repeat(20) })).toEqual({
      mode: 'api',
      logLevel: 'warn',
      namespace: 'default',
      url: 'http://127.0.0.1:8000',
      apiKey: 'k'.repeat(20),
    });
  });

  it('opens the database otherwise: the embedded engine by default, or DATABASE_URL', () => {
    const embedded = loadMcpConfig({});
    expect(embedded).toMatchObject({
      mode: 'database',
      database: { engine: 'pglite', dataDir: './.mnemolite/pgdata', sharedBuffersMb: 'auto' },
      codeIndexRoots: [],
    });
    const server = loadMcpConfig({ DATABASE_URL: 'postgres://u:p@db:5432/m', CODE_INDEX_ROOTS: '/src/a, /src/b' });
    expect(server).toMatchObject({
      mode: 'database',
      database: { engine: 'postgres', url: 'postgres://u:p@db:5432/m', poolMax: 5 },
      codeIndexRoots: ['/src/a', '/src/b'],
    });
  });

  it('treats empty variables as unset (as client configurations often leave them)', () => {
    expect(loadMcpConfig({ MNEMOLITE_URL: '', MNEMOLITE_API_KEY: '', MNEMOLITE_NAMESPACE: '' })).toMatchObject({
      mode: 'database',
      namespace: 'default',
    });
  });

  it('works in the namespace MNEMOLITE_NAMESPACE names, and refuses a malformed one', () => {
    expect(loadMcpConfig({ MNEMOLITE_NAMESPACE: 'team-a.v2' })).toMatchObject({ mode: 'database', namespace: 'team-a.v2' });
    expect(loadMcpConfig({ MNEMOLITE_URL: 'http://127.0.0.1:8000', MNEMOLITE_NAMESPACE: 'team_b' })).toMatchObject({
      mode: 'api',
      namespace: 'team_b',
    });
    expect(() => loadMcpConfig({ MNEMOLITE_NAMESPACE: 'no spaces' })).toThrow(/MNEMOLITE_NAMESPACE/);
  });

  it('lists every problem at once, naming each variable', () => {
    const error = (() => {
      try {
        loadMcpConfig({ MNEMOLITE_URL: 'ftp://x', LOG_LEVEL: 'loud', CODE_INDEX_ROOTS: 'relative' });
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['CODE_INDEX_ROOTS.0', 'LOG_LEVEL', 'MNEMOLITE_URL']);
  });

  it('refuses a key without a URL: it would be silently unused', () => {
    expect(() => loadMcpConfig({ MNEMOLITE_API_KEY: 'k'.repeat(20) })).toThrow(/MNEMOLITE_API_KEY.*MNEMOLITE_URL/);
  });
});
