import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');
const MCP_MAIN = join(WORKSPACE_ROOT, 'apps', 'mcp', 'src', 'main.ts');
// Started by path, as a user would start it: apps never import each other.
const API_MAIN = join(WORKSPACE_ROOT, 'apps', 'api', 'src', 'main.ts');

/** Variables a spawned process gets besides `env`: the hash embedder, no stray DATABASE_URL. */
function baseEnv(env: Record<string, string>): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { ...inherited, DATABASE_URL: '', MNEMOLITE_URL: '', MNEMOLITE_API_KEY: '', API_KEY: '', EMBEDDING_MODE: 'hash', ...env };
}

export interface StdioSession {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

/** Spawns the stdio MCP server (main.ts through tsx) and connects the SDK's client to it. */
export async function connectStdio(env: Record<string, string>): Promise<StdioSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', MCP_MAIN],
    cwd: WORKSPACE_ROOT,
    env: baseEnv({ LOG_LEVEL: 'info', ...env }),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const client = new Client({ name: 'mcp-stdio-spec', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (error) {
    throw new Error(`stdio server did not start: ${String(error)}\n${stderr}`);
  }
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** Runs the stdio server until it exits by itself (a start-up failure); answers its code and stderr. */
export function runStdioUntilExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MCP_MAIN], {
      cwd: WORKSPACE_ROOT,
      env: baseEnv(env),
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

export interface RunningApi {
  url: string;
  stop(): Promise<void>;
}

/** Starts the real API process on a free port and waits for its "ready" log line. */
export function startApi(env: Record<string, string>): Promise<RunningApi> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess & { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream } = spawn(
      process.execPath,
      ['--import', 'tsx', API_MAIN],
      { cwd: WORKSPACE_ROOT, env: baseEnv({ PORT: '0', LOG_LEVEL: 'info', ...env }), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    let url = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const timer = setTimeout(() => reject(new Error(`API not ready after 60 s: ${stderr}`)), 60_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg: string; url?: string };
      if (entry.msg === 'listening' && entry.url) url = entry.url;
      if (entry.msg === 'ready') {
        clearTimeout(timer);
        resolve({
          url,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`API exited before ready: ${stderr}`));
    });
  });
}
