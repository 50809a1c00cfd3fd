import { buildCommand, defaultTag, detectEngine, pushCommand, sizeCommand } from './executor';

const root = '/repo';

describe('docker-build executor', () => {
  it('builds with docker buildx, loading the image by default', () => {
    const command = buildCommand(
      { dockerfile: 'docker/api.Dockerfile', buildArgs: { BAKE_MODELS: 'true' } },
      'docker',
      'mnemolite-api:latest',
      root,
    );
    expect(command).toEqual({
      command: 'docker',
      args: [
        'buildx',
        'build',
        '-f',
        '/repo/docker/api.Dockerfile',
        '-t',
        'mnemolite-api:latest',
        '--build-arg',
        'BAKE_MODELS=true',
        '--load',
        '/repo',
      ],
    });
  });

  it('pushes instead of loading when asked', () => {
    const { args } = buildCommand(
      { dockerfile: 'docker/api.Dockerfile', push: true, load: false, target: 'runtime', noCache: true },
      'docker',
      'registry.example/mnemolite-api:1',
      root,
    );
    expect(args).toContain('--push');
    expect(args).not.toContain('--load');
    expect(args.join(' ')).toContain('--target runtime --no-cache');
    expect(pushCommand('docker', 'x', root)).toBeNull();
  });

  it('builds with the podman wrapper and pushes afterwards', () => {
    const command = buildCommand({ dockerfile: 'docker/db.Dockerfile', context: 'docker' }, 'podman', 'db:1', root);
    expect(command).toEqual({
      command: 'bash',
      args: ['/repo/tools/docker/podman-build.sh', '-f', '/repo/docker/db.Dockerfile', '-t', 'db:1', '/repo/docker'],
    });
    expect(pushCommand('podman', 'db:1', root)?.args).toEqual(['/repo/tools/docker/podman.sh', 'push', 'db:1']);
    expect(sizeCommand('podman', 'db:1', root).args.slice(-4)).toEqual(['inspect', '--format', '{{.Size}}', 'db:1']);
  });

  it('names images after the project and honours an explicit engine', () => {
    expect(defaultTag('worker')).toBe('mnemolite-worker:latest');
    expect(detectEngine('podman')).toBe('podman');
    expect(detectEngine('docker')).toBe('docker');
  });
});
