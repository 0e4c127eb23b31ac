// The container engine: Podman or Docker (--engine=podman|docker, else CM_CONTAINER_TOOL, else
// whichever `docker`/`podman` is on PATH; a `docker` that says "podman" in its version is Podman),
// and what differs between them (spec docker.md §9, §10.9): GPU syntax, user namespaces.
import { childProcess } from '../../child-process.js';
import { CmError } from '../../../core/errors.js';
import { didYouMean } from '../../../core/did-you-mean.js';
import type { EngineName } from '../../../core/container/settings.js';

export const ENGINES: readonly EngineName[] = ['podman', 'docker'];

export interface Engine {
  name: EngineName;
  /** The program run (docker may be Podman behind a shim). */
  program: string;
  /** Whether one was found: --dockerfile-only works without. */
  found: boolean;
  /** A docker CLI was found, but no daemon answered it. */
  noDaemon?: boolean;
}

function daemonAnswers(
  program: string,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const r = childProcess().spawnSync(program, ['info', '--format', '{{.ServerVersion}}'], {
    encoding: 'utf8',
    env: env as NodeJS.ProcessEnv,
    timeout: 20_000,
  });
  return !r.error && r.status === 0 && r.stdout.trim() !== '';
}

function versionText(
  program: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  const r = childProcess().spawnSync(program, ['--version'], {
    encoding: 'utf8',
    env: env as NodeJS.ProcessEnv,
    timeout: 20_000,
  });
  if (r.error || r.status !== 0) return undefined;
  return `${r.stdout}${r.stderr}`;
}

/** The engine asked for, or found. */
export function detectEngine(
  asked: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Engine {
  const name = asked ?? env['CM_CONTAINER_TOOL'] ?? env['MLC_CONTAINER_TOOL'];
  if (name !== undefined && name !== '') {
    if (!(ENGINES as readonly string[]).includes(name)) {
      const dym = didYouMean(name, ENGINES);
      throw new CmError('bad-input', `--engine=${name}: not a container engine CM can use`, {
        hint: `${dym ? `${dym} ` : ''}Valid: ${ENGINES.join(', ')}`,
      });
    }
    const text = versionText(name, env);
    return { name: name as EngineName, program: name, found: text !== undefined };
  }
  // A Docker CLI without a reachable daemon is no engine: Podman is then taken when installed.
  let dockerCli = false;
  for (const program of ['docker', 'podman'] as const) {
    const text = versionText(program, env);
    if (text === undefined) continue;
    if (/podman/i.test(text) || program === 'podman')
      return { name: 'podman', program, found: true };
    if (daemonAnswers(program, env)) return { name: 'docker', program, found: true };
    dockerCli = true;
  }
  return {
    name: 'docker',
    program: 'docker',
    found: false,
    ...(dockerCli ? { noDaemon: true } : {}),
  };
}

/** Refuses to build or run without an engine. */
export function requireEngine(e: Engine): void {
  if (e.found) return;
  const why = e.noDaemon
    ? 'a docker CLI is installed but no Docker daemon answers it ("docker info" fails)'
    : `"${e.program} --version" did not run`;
  throw new CmError('file-not-found', `no container engine: ${why}`, {
    hint: 'install Podman (apt-get install podman) or Docker, or name one with --engine=podman|docker; --dockerfile-only writes the Dockerfile without either',
  });
}

/** GPU options (spec §3.3): docker --gpus, podman CDI devices. */
export function gpuArgs(engine: EngineName, all: boolean, count: string | undefined): string[] {
  if (engine === 'podman') {
    if (all) return ['--device', 'nvidia.com/gpu=all'];
    if (count) return ['--device', `nvidia.com/gpu=${count}`];
    return [];
  }
  if (all) return ['--gpus=all'];
  if (count) return [`--gpus=${count}`];
  return [];
}
