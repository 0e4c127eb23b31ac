// Running git for repo actions: always through argv (never a shell), never prompting.
import { childProcess } from '../child-process.js';
import { CmError } from '../../core/errors.js';
import type { CmContext } from '../context.js';

export interface GitResult {
  stdout: string;
  stderr: string;
}

export function git(ctx: CmContext, args: string[], cwd: string, what: string): GitResult {
  ctx.emit({ type: 'info', text: `git ${args.join(' ')}` });
  const r = childProcess().spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...ctx.env, GIT_TERMINAL_PROMPT: '0' } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.error) {
    throw new CmError('git-failed', `${what}: cannot run git: ${r.error.message}`, {
      hint: 'install git (apt-get install git)',
    });
  }
  if (r.status !== 0) {
    const tail = (r.stderr || r.stdout)
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-4)
      .join('\n  ');
    throw new CmError(
      'git-failed',
      `${what}: git ${args[0]} exited with status ${r.status}:\n  ${tail}`,
      {
        details: { args, status: r.status },
      },
    );
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

export function gitQuiet(ctx: CmContext, args: string[], cwd: string): string | undefined {
  const r = childProcess().spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...ctx.env, GIT_TERMINAL_PROMPT: '0' } as NodeJS.ProcessEnv,
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}
