// Replays started from the page (`--allow-exec` only): POST /api/replay runs `cm replay experiment`
// as a child process; GET /api/jobs/:id/events streams its output lines and final status.
import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import { CmError } from '../../core/errors.js';
import type { AppEnv, AppOptions } from '../app-options.js';

interface Job {
  lines: string[];
  /** runDir: the new run folder's name; experiment: the artifact folder it was recorded in. */
  done?: { status: 'ok' | 'failed'; code: number; runDir?: string; experiment?: string };
  listeners: Set<() => void>;
}

const SAFE = /^[A-Za-z0-9._:-]+$/;

function startJob(o: AppOptions, args: string[]): Job {
  const job: Job = { lines: [], listeners: new Set() };
  const notify = (): void => {
    for (const l of job.listeners) l();
  };
  const child = spawn(process.execPath, [o.cmBin!, ...args], {
    cwd: o.cm!.context.cwd,
    env: { ...(o.cm!.context.env as NodeJS.ProcessEnv), CM_REPOS: o.cm!.context.paths.root },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let runDir: string | undefined;
  let experiment: string | undefined;
  const onData = (chunk: string): void => {
    for (const line of chunk.split('\n')) {
      if (line === '') continue;
      job.lines.push(line);
      // cm replay records into an experiment tagged "replay" (a new run folder there).
      const run = /^Path to experiment: (\S+)/.exec(line);
      if (run) runDir = run[1];
      const artifact = /^Path to CM experiment artifact: (\S+)/.exec(line);
      if (artifact) experiment = basename(artifact[1]!);
    }
    notify();
  };
  child.stdout.setEncoding('utf8').on('data', onData);
  child.stderr.setEncoding('utf8').on('data', onData);
  child.on('error', (e) => {
    job.lines.push(`CM error: ${e.message}`);
    job.done = { status: 'failed', code: 1 };
    notify();
  });
  child.on('close', (code) => {
    job.done = {
      status: code === 0 ? 'ok' : 'failed',
      code: code ?? 1,
      ...(runDir ? { runDir: basename(runDir) } : {}),
      ...(experiment ? { experiment } : {}),
    };
    notify();
  });
  return job;
}

export function jobRoutes(app: Hono<AppEnv>, o: AppOptions): void {
  const jobs = new Map<string, Job>();
  app.post('/api/replay', async (c) => {
    if (!o.allowExec || !o.cm || !o.cmBin)
      return c.json(
        {
          error: 'replays are off on this server',
          code: 'forbidden',
          hint: 'start it with --allow-exec',
        },
        403,
      );
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    const { exp, dir, uid } = body;
    for (const [k, v] of Object.entries({ exp, dir }))
      if (typeof v !== 'string' || !SAFE.test(v))
        throw new CmError('bad-input', `replay: "${k}" must be a name (letters, digits, . _ : -)`);
    if (uid !== undefined && (typeof uid !== 'string' || !SAFE.test(uid)))
      throw new CmError('bad-input', 'replay: "uid" must be a result uid');
    const e = await o.store.getExperiment(String(exp), c.get('viewer'));
    if (!e) throw new CmError('artifact-not-found', `experiment not found: ${String(exp)}`);
    const args = ['replay', 'experiment', e.uid, `--dir=${String(dir)}`];
    if (typeof uid === 'string') args.push(`--uid=${uid}`);
    if (body['stepOnly'] === true) args.push('--step-only');
    const id = randomBytes(8).toString('hex');
    jobs.set(id, startJob(o, args));
    return c.json({ job: id });
  });
  app.get('/api/jobs/:id/events', (c) => {
    const job = jobs.get(c.req.param('id'));
    if (!job) throw new CmError('artifact-not-found', `no job ${c.req.param('id')}`);
    return streamSSE(c, async (stream) => {
      let sent = 0;
      while (!stream.aborted) {
        while (sent < job.lines.length)
          await stream.writeSSE({ event: 'log', data: job.lines[sent++]! });
        if (job.done) {
          await stream.writeSSE({ event: 'done', data: JSON.stringify(job.done) });
          break;
        }
        await new Promise<void>((r) => {
          const l = (): void => {
            job.listeners.delete(l);
            r();
          };
          job.listeners.add(l);
          stream.onAbort(l);
        });
      }
    });
  });
}
