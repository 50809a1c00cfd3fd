import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { Client as PgClient } from 'pg';
import { TOOL_NAMES } from '@mnemolite/mcp';
import { exerciseAllTools, writeSampleRepository, type RestProbe } from '@mnemolite/mcp/testing';
import { connectStdio, runStdioUntilExit, startApi, type RunningApi } from './testing/processes';

const API_KEY = 'stdio-test-key-0123456789';

function text(result: CallToolResult): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
}

// Processes start through tsx; on two busy cores a start can take several seconds.
jest.setTimeout(120_000);

describe('stdio MCP server through a running API (MNEMOLITE_URL), the embedded-engine setup', () => {
  let dir: string;
  let api: RunningApi;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-stdio-api-'));
    writeSampleRepository(join(dir, 'code', 'sample'));
    api = await startApi({ MNEMO_DATA_DIR: join(dir, 'pgdata'), API_KEY, CODE_INDEX_ROOTS: join(dir, 'code') });
  });

  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const rest: RestProbe = async (method, path, body) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${API_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const raw = await response.text();
    return { status: response.status, body: raw ? JSON.parse(raw) : undefined };
  };

  it('lists every tool and runs each one; the effects show in the REST API', async () => {
    const session = await connectStdio({ MNEMOLITE_URL: api.url, MNEMOLITE_API_KEY: API_KEY });
    try {
      const called = await exerciseAllTools(session.client, rest, { directory: join(dir, 'code', 'sample') });
      expect([...called].sort()).toEqual([...TOOL_NAMES].sort());
      expect(session.stderr()).toContain('MCP server ready on stdio');
    } finally {
      await session.close();
    }
  });

  it('answers a wrong MNEMOLITE_API_KEY with a tool error that says which variable to fix', async () => {
    const session = await connectStdio({ MNEMOLITE_URL: api.url, MNEMOLITE_API_KEY: 'wrong-key-0123456789' });
    try {
      const result = (await session.client.callTool({ name: 'memory_list_recent', arguments: {} })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('MNEMOLITE_API_KEY');
    } finally {
      await session.close();
    }
  });

  it('refuses to open the embedded database the API holds, and says to set MNEMOLITE_URL', async () => {
    const { code, stderr } = await runStdioUntilExit({ MNEMO_DATA_DIR: join(dir, 'pgdata') });
    expect(code).toBe(2);
    expect(stderr).toMatch(/in use by process \d+/);
    expect(stderr).toContain('MNEMOLITE_URL');
  });

  it('answers an unreachable API with a tool error naming MNEMOLITE_URL', async () => {
    const session = await connectStdio({ MNEMOLITE_URL: 'http://127.0.0.1:9' });
    try {
      const result = (await session.client.callTool({ name: 'health', arguments: {} })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(text(result)).toContain('MNEMOLITE_URL');
    } finally {
      await session.close();
    }
  });
});

/** A fresh database on the TEST_DATABASE_URL server: its URL, and a function that drops it. */
async function serverDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `mnemolite_mcp_${randomBytes(6).toString('hex')}`;
  const admin = async (statement: string) => {
    const client = new PgClient({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

describe('stdio MCP server on its own database', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-stdio-db-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function writeThenReadThroughApi(env: Record<string, string>, engine: string): Promise<void> {
    const session = await connectStdio(env);
    let id: string;
    try {
      const written = (await session.client.callTool({
        name: 'memory_write',
        arguments: { text: 'stdio wrote this', metadata: { via: 'stdio' } },
      })) as CallToolResult;
      expect(written.isError).toBeFalsy();
      id = (written.structuredContent as { event: { id: string } }).event.id;
      const health = (await session.client.callTool({ name: 'health', arguments: {} })) as CallToolResult;
      expect(health.structuredContent).toMatchObject({ via: 'in-process', database: { engine }, counts: { memories: 1 } });
    } finally {
      await session.close();
    }
    // Closing stdin ends the server, which (embedded engine) releases the data directory for the API.
    const api = await startApi(env);
    try {
      const response = await fetch(`${api.url}/v1/events/${id}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ content: { text: 'stdio wrote this' }, metadata: { via: 'stdio' } });
    } finally {
      await api.stop();
    }
  }

  it('embedded (nothing else holds it): opens, migrates and writes it, closes it cleanly, and the API then finds the memory', async () => {
    await writeThenReadThroughApi({ MNEMO_DATA_DIR: join(dir, 'pgdata') }, 'pglite');
  });

  // On the PostgreSQL run of the suite (as the worker's spec does): DATABASE_URL mode.
  const serverUrl = process.env['TEST_DATABASE_URL'];
  if (serverUrl) {
    it('PostgreSQL (DATABASE_URL): migrates and writes it, and the API finds the memory', async () => {
      const database = await serverDatabase(serverUrl);
      try {
        await writeThenReadThroughApi({ DATABASE_URL: database.url }, 'postgres');
      } finally {
        await database.drop();
      }
    });
  }

  it('rejects a bad configuration at start with every problem listed', async () => {
    const { code, stderr } = await runStdioUntilExit({ MNEMOLITE_URL: 'not a url', CODE_INDEX_ROOTS: 'relative/dir' });
    expect(code).toBe(2);
    expect(stderr).toContain('MNEMOLITE_URL');
    expect(stderr).toContain('CODE_INDEX_ROOTS');
  });
});
