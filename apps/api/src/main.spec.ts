import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApi } from './testing/api-process';

const MAIN = join(__dirname, 'main.ts');

describe('API process lifecycle on the embedded engine', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mnemolite-api-'));
    env = { MNEMO_DATA_DIR: join(dir, 'pgdata') };
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, serves /readiness, and shuts down cleanly on SIGTERM', async () => {
    const api = await startApi(env);
    const res = await fetch(`${api.url}/readiness`);
    expect(res.status).toBe(200);
    api.child.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(`${join(dir, 'pgdata')}.lock`)).toBe(false);
  }, 90_000);

  it('on SIGTERM, finishes a request still in flight before exiting, and the write is kept', async () => {
    const api = await startApi(env);
    const { hostname, port } = new URL(api.url);
    const body = JSON.stringify({ content: { text: 'written while the API shuts down' } });
    // The body arrives in two parts, the second after SIGTERM: the request is in flight during shutdown.
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: hostname,
          port,
          method: 'POST',
          path: '/v1/events',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        api.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 500);
      }, 300);
    });
    const res = await answer;
    expect(res.status).toBe(201);
    expect(await api.exited).toEqual({ code: 0, signal: null });
    const messages = api.lines.map((line) => line.msg);
    expect(messages.indexOf('shutting down')).toBeGreaterThan(-1);
    expect(messages.indexOf('stopped')).toBeGreaterThan(messages.indexOf('shutting down'));

    const restarted = await startApi(env);
    try {
      const { id } = JSON.parse(res.body) as { id: string };
      expect((await fetch(`${restarted.url}/v1/events/${id}`)).status).toBe(200);
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  }, 120_000);

  it('comes back after kill -9, quickly', async () => {
    const crashed = await startApi(env);
    crashed.child.kill('SIGKILL');
    expect((await crashed.exited).signal).toBe('SIGKILL');

    const restarted = await startApi(env);
    try {
      expect(restarted.readyMs).toBeLessThan(20_000);
      const res = await fetch(`${restarted.url}/health`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { database: { engine: string } }).database.engine).toBe('pglite');
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  }, 120_000);

  it('refuses a second process on the same data directory', async () => {
    const first = await startApi(env);
    try {
      await expect(startApi(env)).rejects.toThrow(/in use by process \d+/);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
    }
  }, 120_000);

  it('with EMBEDDING_MODE=auto and no model to be had, starts on the hash embedder and says why', async () => {
    const api = await startApi({ ...env, EMBEDDING_MODE: 'auto', MODELS_DIR: join(dir, 'no-models'), EMBEDDING_ALLOW_REMOTE: 'false' });
    try {
      const health = (await (await fetch(`${api.url}/health`)).json()) as {
        embeddings: Record<'text' | 'code', { model: string; mode: string; dimension: number; reason: string }>;
      };
      expect(health.embeddings.text).toMatchObject({ model: 'hash-v2-768', mode: 'hash', dimension: 768 });
      expect(health.embeddings.text.reason).toContain('nomic-ai/nomic-embed-text-v1.5');
      expect(health.embeddings.code.reason).toContain('jinaai/jina-embeddings-v2-base-code');
      const warnings = api.lines.filter((line) => line.level === 'warn');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].msg).toMatch(/using the hash embedder/);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
    }
  }, 120_000);

  it('with EMBEDDING_MODE=transformers and no model, refuses to start naming the model and MODELS_DIR', async () => {
    const modelsDir = join(dir, 'no-models');
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: {
        ...process.env,
        ...env,
        PORT: '0',
        DATABASE_URL: '',
        EMBEDDING_MODE: 'transformers',
        EMBEDDING_ALLOW_REMOTE: 'false',
        MODELS_DIR: modelsDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('nomic-ai/nomic-embed-text-v1.5');
    expect(output).toContain(`MODELS_DIR=${modelsDir}`);
  }, 120_000);

  it('gives up on an unreachable database after DB_STARTUP_RETRY_SECONDS, saying so', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      // Port 1 on loopback: nothing listens, the connection is refused at once.
      env: {
        ...process.env,
        PORT: '0',
        DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
        DB_STARTUP_RETRY_SECONDS: '1',
        EMBEDDING_MODE: 'hash',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('database unreachable at start; retrying');
    expect(output).toMatch(/cannot start: the database could not be reached in 1 s \(\d+ attempts\): connect ECONNREFUSED/);
  }, 60_000);

  it('refuses to start with invalid configuration, listing every problem', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
      env: { ...process.env, PORT: 'eighty', API_KEY: 'short' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/PORT:/);
    expect(stderr).toMatch(/API_KEY:/);
  }, 60_000);
});
