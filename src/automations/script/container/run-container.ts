// Building the image and running the container (spec docker.md §7, §10.3–10.4): argv arrays, no
// shell on the host; output streamed as it comes (a detached run too: `logs -f`, then `wait` for
// its exit status and its log's tail on failure, then the container removed unless --docker_keep);
// the script's exit status is the command's, with no fallback shell unless --docker_shell_on_fail.
import { childProcess } from '../../child-process.js';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmError } from '../../../core/errors.js';
import type { EventSink } from '../../../core/events.js';
import { lastLines, streamProcess } from '../native.js';

type ProcessEnv = Readonly<Record<string, string | undefined>>;

export interface Streamed {
  code: number;
  /** The last of its output (for the tail shown on failure). */
  tail: string;
}

/** The most of a container's (or a build's) output kept for its tail. */
const KEEP = 200_000;

/** Runs argv, its output as events; stdin inherited when `tty`. */
export function runStreaming(
  argv: readonly string[],
  env: ProcessEnv,
  emit: EventSink,
  tty = false,
): Promise<Streamed> {
  return streamProcess(argv[0]!, argv.slice(1), {
    env,
    emit,
    stdin: tty ? 'inherit' : 'ignore',
    keep: KEEP,
  });
}

/** The image's id, or '' when the engine has no such image. */
export function imageId(program: string, image: string, env: ProcessEnv): string {
  const r = childProcess().spawnSync(program, ['images', '-q', image], {
    encoding: 'utf8',
    env: env as NodeJS.ProcessEnv,
  });
  return r.status === 0 ? r.stdout.trim().split('\n')[0]!.trim() : '';
}

export async function buildImage(
  argv: readonly string[],
  env: ProcessEnv,
  emit: EventSink,
): Promise<void> {
  const r = await runStreaming(argv, env, emit);
  if (r.code !== 0)
    throw new CmError(
      'script-failed',
      `building the image failed (${argv[0]} build exited ${r.code})`,
      {
        hint: `the build's last lines:\n${lastLines(r.tail, 20)}\nfix the step above; --docker_cache=no rebuilds every layer`,
      },
    );
}

/**
 * A detached run: `run -d` gives the id; its log is followed while it runs; `wait` gives the exit
 * status; the container is removed unless `keep`.
 */
export async function runDetached(
  argv: readonly string[],
  env: ProcessEnv,
  emit: EventSink,
  keep: boolean,
): Promise<Streamed & { id: string }> {
  const program = argv[0]!;
  // The engine writes the container's id as soon as it made it: one that failed to start is
  // removed too.
  const dir = mkdtempSync(join(tmpdir(), 'cm-cid-'));
  const cidFile = join(dir, 'cid');
  const started = childProcess().spawnSync(
    program,
    [argv[1]!, '--cidfile', cidFile, ...argv.slice(2)],
    {
      encoding: 'utf8',
      env: env as NodeJS.ProcessEnv,
    },
  );
  const id = existsSync(cidFile) ? readFileSync(cidFile, 'utf8').trim() : '';
  rmSync(dir, { recursive: true, force: true });
  if (started.status !== 0 || !id) {
    if (id)
      childProcess().spawnSync(program, ['rm', '-f', id], {
        env: env as NodeJS.ProcessEnv,
        stdio: 'ignore',
      });
    throw new CmError(
      'script-failed',
      `${program} run -d failed (exit status ${started.status ?? 'none'})`,
      {
        hint:
          lastLines(`${started.stdout ?? ''}${started.stderr ?? ''}`, 20) ||
          'see the engine output above',
      },
    );
  }
  emit({ type: 'info', text: `container ${id.slice(0, 12)} started; following its log` });
  try {
    const logs = await runStreaming([program, 'logs', '-f', id], env, emit);
    const waited = childProcess().spawnSync(program, ['wait', id], {
      encoding: 'utf8',
      env: env as NodeJS.ProcessEnv,
    });
    const code = Number.parseInt((waited.stdout ?? '').trim().split('\n').pop() ?? '', 10);
    return { id, code: Number.isFinite(code) ? code : 1, tail: logs.tail };
  } finally {
    if (!keep)
      childProcess().spawnSync(program, ['rm', '-f', id], {
        env: env as NodeJS.ProcessEnv,
        stdio: 'ignore',
      });
  }
}
