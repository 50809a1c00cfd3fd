import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const MAIN = join(__dirname, '..', 'main.ts');

export interface LogLine {
  level: string;
  msg: string;
  url?: string;
}

export interface StartedApi {
  child: ChildProcess;
  lines: LogLine[];
  url: string;
  readyMs: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartApiOptions {
  /** Called with the URL as soon as the API listens (before it is ready). */
  onListening?: (url: string) => void;
  /** How long to wait for "ready" (default 60 s). */
  readyTimeoutMs?: number;
}

/**
 * Starts the real API process (main.ts through tsx) on a free port, on the hash embedder unless
 * `env` says otherwise, and waits for its "ready" log line.
 */
export function startApi(env: NodeJS.ProcessEnv, options: StartApiOptions = {}): Promise<StartedApi> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child: ChildProcess & { stdout: NodeJS.ReadableStream; stderr: NodeJS.ReadableStream } = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN],
      {
        env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DATABASE_URL: '', EMBEDDING_MODE: 'hash', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('exit', (code, signal) => done({ code, signal })),
    );
    let url = '';
    let stderr = '';
    const lines: LogLine[] = [];
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timeoutMs = options.readyTimeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`API not ready after ${timeoutMs / 1000} s: ${stderr}`));
    }, timeoutMs);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as LogLine;
      lines.push(entry);
      if (entry.msg === 'listening' && entry.url) {
        url = entry.url;
        options.onListening?.(url);
      }
      if (entry.msg === 'ready') {
        clearTimeout(timer);
        resolve({ child, lines, url, readyMs: Date.now() - started, exited });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`API exited with ${code} before ready: ${stderr}`));
    });
  });
}
