import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * One process at a time may open an embedded data directory: two PGlite instances writing the same
 * files corrupt them. The lock file holds the owner's pid; a lock left by a dead process (kill -9)
 * is taken over, so a crash never blocks the next start.
 */
export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string): DataDirLock {
    const path = `${resolve(dataDir)}.lock`;
    mkdirSync(dirname(path), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(path, String(process.pid), { flag: 'wx' });
        return new DataDirLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
        if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
          throw new Error(
            `The embedded database in ${resolve(dataDir)} is in use by process ${owner}. ` +
              'Stop that process, or set MNEMO_DATA_DIR to another directory.',
          );
        }
        rmSync(path, { force: true });
      }
    }
    throw new Error(`Could not lock the embedded database directory ${resolve(dataDir)}.`);
  }

  release(): void {
    rmSync(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
