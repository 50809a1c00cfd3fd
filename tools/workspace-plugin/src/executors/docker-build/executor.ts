import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';

export type Engine = 'docker' | 'podman';

export interface DockerBuildOptions {
  dockerfile: string;
  context?: string;
  tag?: string;
  engine?: 'auto' | Engine;
  buildArgs?: Record<string, string>;
  target?: string;
  load?: boolean;
  push?: boolean;
  noCache?: boolean;
}

export interface Command {
  command: string;
  args: string[];
}

/** Where podman is driven through the repository's wrappers (image store, isolation, CA for npm). */
const PODMAN_BUILD = 'tools/docker/podman-build.sh';
const PODMAN = 'tools/docker/podman.sh';

export function defaultTag(project: string): string {
  return `mnemolite-${project}:latest`;
}

/** The build command line for an engine; pure so that it can be tested without one. */
export function buildCommand(options: DockerBuildOptions, engine: Engine, tag: string, root: string): Command {
  const common = ['-f', join(root, options.dockerfile), '-t', tag];
  for (const [key, value] of Object.entries(options.buildArgs ?? {})) {
    common.push('--build-arg', `${key}=${value}`);
  }
  if (options.target) common.push('--target', options.target);
  if (options.noCache) common.push('--no-cache');
  const context = join(root, options.context ?? '.');
  if (engine === 'docker') {
    const output = [];
    if (options.push) output.push('--push');
    if (options.load !== false) output.push('--load');
    return { command: 'docker', args: ['buildx', 'build', ...common, ...output, context] };
  }
  return { command: 'bash', args: [join(root, PODMAN_BUILD), ...common, context] };
}

export function pushCommand(engine: Engine, tag: string, root: string): Command | null {
  // buildx pushes during the build (--push); podman pushes a stored image afterwards.
  return engine === 'podman' ? { command: 'bash', args: [join(root, PODMAN), 'push', tag] } : null;
}

export function sizeCommand(engine: Engine, tag: string, root: string): Command {
  const args = ['image', 'inspect', '--format', '{{.Size}}', tag];
  return engine === 'docker' ? { command: 'docker', args } : { command: 'bash', args: [join(root, PODMAN), ...args] };
}

function answers(command: string, args: string[]): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 15_000 });
  return result.status === 0;
}

/** docker buildx where a Docker engine answers, else podman (the only engine on this project's CI). */
export function detectEngine(requested: DockerBuildOptions['engine'] = 'auto'): Engine {
  if (requested !== 'auto') return requested;
  if (answers('docker', ['info'])) return 'docker';
  if (answers('podman', ['--version'])) return 'podman';
  throw new Error('no container engine: `docker info` failed and podman is not installed');
}

function run({ command, args }: Command, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

function formatBytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

export default async function dockerBuild(options: DockerBuildOptions, context: ExecutorContext): Promise<{ success: boolean }> {
  const root = context.root;
  const project = context.projectName ?? 'image';
  const tag = options.tag ?? defaultTag(project);
  const engine = detectEngine(options.engine);
  const build = buildCommand(options, engine, tag, root);
  console.log(`docker-build: ${engine} -> ${tag}\n+ ${build.command} ${build.args.join(' ')}`);

  const started = process.hrtime.bigint();
  const code = await run(build, root);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) {
    console.error(`docker-build: ${engine} build of ${tag} failed (exit ${code}) after ${seconds.toFixed(1)} s`);
    return { success: false };
  }
  if (options.push) {
    const push = pushCommand(engine, tag, root);
    if (push && (await run(push, root)) !== 0) {
      console.error(`docker-build: pushing ${tag} failed`);
      return { success: false };
    }
  }
  const size = sizeCommand(engine, tag, root);
  const inspected = spawnSync(size.command, size.args, { cwd: root, encoding: 'utf8' });
  const bytes = Number(inspected.stdout?.trim());
  const sizeText = inspected.status === 0 && Number.isFinite(bytes) ? formatBytes(bytes) : 'unknown (not loaded locally)';
  console.log(`docker-build: ${tag} built with ${engine} in ${seconds.toFixed(1)} s; image size ${sizeText}`);
  return { success: true };
}
