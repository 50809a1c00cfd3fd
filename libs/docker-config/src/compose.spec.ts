import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  DeploymentConfigError,
  composeDocument,
  defaultDeploymentConfig,
  generatedFiles,
  parseDeploymentConfig,
  renderCompose,
} from './index';

const root = join(__dirname, '..', '..', '..');
const doc = composeDocument(defaultDeploymentConfig);

describe('generated files', () => {
  it.each(Object.keys(generatedFiles(defaultDeploymentConfig)))(
    '%s at the repository root is what the generator writes (run `npx nx run docker-config:generate`)',
    (file) => {
      const committed = readFileSync(join(root, file), 'utf8');
      expect(committed).toBe(generatedFiles(defaultDeploymentConfig)[file]);
    },
  );

  it('renders YAML that parses back to the same document', () => {
    expect(parse(renderCompose(defaultDeploymentConfig))).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});

describe('compose document', () => {
  it('has db, api and a worker behind the worker profile', () => {
    expect(Object.keys(doc.services)).toEqual(['db', 'api', 'worker']);
    expect(doc.services.worker.profiles).toEqual(['worker']);
    expect(doc.services.api.profiles).toBeUndefined();
    expect(doc.services.db.profiles).toBeUndefined();
  });

  it('enabling the worker drops its profile', () => {
    const enabled = composeDocument(parseDeploymentConfig({ worker: { enabled: true } }));
    expect(enabled.services.worker.profiles).toBeUndefined();
  });

  it('keeps the backend network internal and the worker on it alone', () => {
    expect(doc.networks).toEqual({ frontend: {}, backend: { internal: true } });
    expect(doc.services.worker.networks).toEqual(['backend']);
    expect(doc.services.api.networks).toEqual(['frontend', 'backend']);
  });

  it('mounts postgres_data only in db', () => {
    const mounts = Object.entries(doc.services).filter(([, service]) =>
      (service.volumes ?? []).some((volume) => volume.startsWith('postgres_data:')),
    );
    expect(mounts.map(([name]) => name)).toEqual(['db']);
    expect(Object.keys(doc.volumes)).toContain('postgres_data');
  });

  it('publishes ports on 127.0.0.1 only', () => {
    expect(doc.services.api.ports).toEqual(['127.0.0.1:${API_PORT:-8001}:8000']);
    expect(doc.services.db.ports).toEqual(['127.0.0.1:${POSTGRES_PORT:-5432}:5432']);
    expect(doc.services.worker.ports).toBeUndefined();
  });

  it('orders start-up on a healthy database, with healthchecks on db and api', () => {
    expect(doc.services.api.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(doc.services.worker.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(doc.services.db.healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(doc.services.api.healthcheck?.test.join(' ')).toContain('/health');
  });

  it('rotates json-file logs (10m x 3) and limits CPU and memory of every service', () => {
    for (const service of Object.values(doc.services)) {
      expect(service.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
      expect(Number(service.deploy.resources.limits.cpus)).toBeGreaterThan(0);
      expect(service.deploy.resources.limits.memory).toMatch(/^\d+[bkmg]$/);
    }
  });

  it('takes the database URL and embedding settings from .env', () => {
    expect(doc.services.api.environment['DATABASE_URL']).toMatch(/^\$\{DATABASE_URL:\?/);
    expect(doc.services.api.environment['EMBEDDING_MODE']).toBe('${EMBEDDING_MODE:-auto}');
    expect(doc.services.api.environment['HOST']).toBe('0.0.0.0');
    const env = generatedFiles(defaultDeploymentConfig)['.env.example'];
    for (const name of ['DATABASE_URL', 'TEST_DATABASE_URL', 'EMBEDDING_MODE', 'POSTGRES_PASSWORD', 'API_PORT']) {
      expect(env).toMatch(new RegExp(`^${name}=`, 'm'));
    }
  });

  it('passes the Postgres settings and data checksums to the server', () => {
    const command = doc.services.db.command ?? [];
    expect(command[0]).toBe('postgres');
    for (const setting of ['shared_buffers', 'effective_cache_size', 'maintenance_work_mem', 'work_mem', 'max_parallel_workers']) {
      expect(command.some((arg) => arg.startsWith(`${setting}=`))).toBe(true);
    }
    expect(doc.services.db.environment['POSTGRES_INITDB_ARGS']).toBe('--data-checksums');
  });

  it('bakes the same Postgres settings into docker/db.Dockerfile', () => {
    const dockerfile = readFileSync(join(root, 'docker', 'db.Dockerfile'), 'utf8');
    for (const [name, value] of Object.entries(defaultDeploymentConfig.postgres.settings)) {
      expect(dockerfile).toContain(`"${name}=${value}"`);
    }
    expect(dockerfile).toContain('POSTGRES_INITDB_ARGS="--data-checksums"');
  });

  it('creates the test database that TEST_DATABASE_URL names in docker/db/init', () => {
    const sql = readFileSync(join(root, 'docker', 'db', 'init', '02-test-database.sql'), 'utf8');
    expect(sql).toContain(`CREATE DATABASE ${defaultDeploymentConfig.postgres.testDatabase}`);
    expect(generatedFiles(defaultDeploymentConfig)['.env.example']).toContain(`/${defaultDeploymentConfig.postgres.testDatabase}\n`);
  });
});

describe('deployment config validation', () => {
  it('rejects bad values and lists every problem', () => {
    let error: unknown;
    try {
      parseDeploymentConfig({
        ports: { api: 70_000, postgres: 'x' },
        bindAddress: '0.0.0.0.0',
        resources: { api: { cpus: -1, memory: 'lots' } },
        worker: { enabled: 'yes' },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DeploymentConfigError);
    const problems = (error as DeploymentConfigError).problems.join('\n');
    for (const path of ['ports.api', 'ports.postgres', 'bindAddress', 'resources.api.cpus', 'resources.api.memory', 'worker.enabled']) {
      expect(problems).toContain(path);
    }
  });

  it('refuses Postgres settings that could inject into the command line', () => {
    expect(() => parseDeploymentConfig({ postgres: { settings: { work_mem: '64MB; rm -rf /' } } })).toThrow(DeploymentConfigError);
    expect(() => parseDeploymentConfig({ postgres: { settings: { 'bad name': '1' } } })).toThrow(DeploymentConfigError);
  });

  it('rejects unsafe image references and environment names', () => {
    expect(() => parseDeploymentConfig({ images: { api: 'Bad Image' } })).toThrow(DeploymentConfigError);
    expect(() => parseDeploymentConfig({ passThroughEnv: ['lower-case'] })).toThrow(DeploymentConfigError);
  });
});
