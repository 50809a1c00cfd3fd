import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const WORKSPACE = join(__dirname, '..', '..', '..', '..');
const CLUSTER_SCRIPT = join(WORKSPACE, 'tools', 'pg', 'test-cluster.sh');
const PG_BIN = process.env['PG_BIN'] ?? `/usr/lib/postgresql/${process.env['PG_MAJOR'] ?? '15'}/bin`;

/**
 * A PostgreSQL cluster of the caller's own (tools/pg/test-cluster.sh with a state file of its own),
 * so that it can be restarted and stopped without disturbing anyone else's server. Loopback only.
 */
export class PrivateCluster {
  private constructor(
    readonly url: string,
    private readonly stateFile: string,
    private readonly dataDir: string,
    private readonly port: string,
    private readonly logFile: string,
  ) {}

  /** Creates and starts the cluster (initdb, extensions): a few seconds. Fails, never skips, without PostgreSQL. */
  static async start(name: string): Promise<PrivateCluster> {
    if (!existsSync(join(PG_BIN, 'pg_ctl'))) {
      throw new Error(`PostgreSQL binaries not found in ${PG_BIN} (set PG_BIN or PG_MAJOR); the fault tests need a server of their own`);
    }
    const stateFile = `/tmp/mnemolite-${name}-${process.pid}.state`;
    const { stdout } = await run('bash', [CLUSTER_SCRIPT, 'start'], { env: { ...process.env, PGTEST_STATE_FILE: stateFile } });
    const state = Object.fromEntries(
      readFileSync(stateFile, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const at = line.indexOf('=');
          return [line.slice(0, at), line.slice(at + 1).replace(/^'|'$/g, '')];
        }),
    );
    return new PrivateCluster(stdout.trim(), stateFile, state['DATA_DIR'], state['PORT'], join(state['BASE_DIR'], 'postgres.log'));
  }

  /** `pg_ctl restart -m fast`: every session is terminated (57P01), the server is back when it returns. */
  async restart(): Promise<void> {
    await this.pgCtl(['restart', '-m', 'fast', '-w', '-t', '60', '-l', this.logFile, '-o', `-p ${this.port}`]);
  }

  async stop(): Promise<void> {
    await this.pgCtl(['stop', '-m', 'fast', '-w', '-t', '60']);
  }

  /** Starts the stopped server; resolves once it accepts connections. */
  async start(): Promise<void> {
    await this.pgCtl(['start', '-w', '-t', '60', '-l', this.logFile, '-o', `-p ${this.port}`]);
  }

  /** Stops the server and deletes its files. */
  async destroy(): Promise<void> {
    await run('bash', [CLUSTER_SCRIPT, 'stop'], { env: { ...process.env, PGTEST_STATE_FILE: this.stateFile } }).catch(() => undefined);
    rmSync(this.stateFile, { force: true });
  }

  private async pgCtl(args: string[]): Promise<void> {
    const command = [join(PG_BIN, 'pg_ctl'), '-D', this.dataDir, ...args];
    // initdb and postgres refuse to run as root: the cluster belongs to `postgres` then (as in test-cluster.sh).
    if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', ...command]);
    else await run(command[0], command.slice(1));
  }
}
