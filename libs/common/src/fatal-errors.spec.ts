import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitOnFatalErrors, type FatalErrorTarget } from './fatal-errors';

function fakeProcess() {
  const emitter = new EventEmitter();
  const exit = jest.fn<never, [number]>();
  const target = Object.assign(emitter, { exit }) as unknown as FatalErrorTarget & EventEmitter;
  return { target, exit };
}

describe('exitOnFatalErrors', () => {
  it('logs an unhandled rejection as one fatal line naming it, then exits 1', () => {
    const { target, exit } = fakeProcess();
    const fatal = jest.fn();
    exitOnFatalErrors({ fatal }, target);
    const reason = new Error('lost promise');
    target.emit('unhandledRejection', reason);
    expect(fatal).toHaveBeenCalledWith({ err: reason, event: 'unhandledRejection' }, 'unhandledRejection: lost promise; exiting');
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('logs an uncaught exception (or a thrown non-error) and exits 1, even when the logger throws', () => {
    const { target, exit } = fakeProcess();
    const fatal = jest.fn(() => {
      throw new Error('log stream closed');
    });
    exitOnFatalErrors({ fatal }, target);
    target.emit('uncaughtException', 'a string');
    expect(fatal).toHaveBeenCalledWith({ err: 'a string', event: 'uncaughtException' }, 'uncaughtException: a string; exiting');
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('in a real process: a rejected promise nobody awaits ends it with code 1 and a fatal JSON log line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mnemolite-fatal-'));
    try {
      const script = join(dir, 'fault.ts');
      writeFileSync(
        script,
        [
          `import { createLogger } from ${JSON.stringify(join(__dirname, 'logger'))};`,
          `import { exitOnFatalErrors } from ${JSON.stringify(join(__dirname, 'fatal-errors'))};`,
          `exitOnFatalErrors(createLogger({ level: 'info', name: 'fault' }, process.stderr));`,
          `void Promise.reject(new Error('nobody awaited this'));`,
          `setTimeout(() => process.stdout.write('still running\\n'), 2000);`,
        ].join('\n'),
      );
      const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      expect(stdout).toBe('');
      const line = JSON.parse(stderr.trim().split('\n').at(-1) ?? '{}');
      expect(line).toMatchObject({ level: 'fatal', name: 'fault', event: 'unhandledRejection', err: { message: 'nobody awaited this' } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
