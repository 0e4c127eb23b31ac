// When a process started, as an opaque string that differs between two processes given the same
// pid: the start time in clock ticks since boot from /proc/PID/stat on Linux, `ps -o lstart=`
// elsewhere (one process per query; only asked when judging a lock another process holds).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let own: string | undefined | null = null;

/** The start time of process `pid`, or undefined when the system does not tell. */
export function processStartTime(pid: number): string | undefined {
  if (pid === process.pid && own !== null) return own;
  const found = process.platform === 'linux' ? fromProc(pid) : fromPs(pid);
  if (pid === process.pid) own = found;
  return found;
}

function fromProc(pid: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // "PID (COMM) STATE PPID ..." where COMM may hold spaces and parentheses: fields are counted
  // after the last ")". starttime is field 22 overall, the 20th after COMM.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  return start !== undefined && /^\d+$/.test(start) ? start : undefined;
}

function fromPs(pid: number): string | undefined {
  if (process.platform === 'win32') return undefined;
  try {
    const { spawnSync } = createRequire(import.meta.url)(
      'node:child_process',
    ) as typeof import('node:child_process');
    const r = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      timeout: 5000,
    });
    const out = r.status === 0 ? r.stdout.trim().replace(/\s+/g, '_') : '';
    return out === '' ? undefined : out;
  } catch {
    return undefined;
  }
}
