// One bash process for a whole README: `cd` and `export` carry from command to command as they
// do for a reader typing them. Each command runs with stdin from /dev/null and its stderr merged
// into stdout (the order a terminal shows); a marker line after it carries its exit status.
import { spawn } from 'node:child_process';

const MARK = '__cm_doc_test_status__';

export class Shell {
  constructor({ cwd, env }) {
    // Its own process group, so that closing it also stops what a command left in the background.
    this.proc = spawn('bash', ['--noprofile', '--norc'], {
      cwd,
      env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.out = '';
    this.err = '';
    this.waiting = undefined;
    this.proc.stdout.setEncoding('utf8').on('data', (d) => {
      this.out += d;
      this.check();
    });
    this.proc.stderr.setEncoding('utf8').on('data', (d) => (this.err += d));
    this.proc.on('exit', () => this.check(true));
  }

  check(exited = false) {
    if (!this.waiting) return;
    const m = new RegExp(`\\n?${MARK}(\\d+)\\n`).exec(this.out);
    if (m) {
      const output = this.out.slice(0, m.index);
      this.out = this.out.slice(m.index + m[0].length);
      const { resolve, timer } = this.waiting;
      this.waiting = undefined;
      clearTimeout(timer);
      resolve({ output, status: Number(m[1]), shellErrors: this.takeErrors() });
    } else if (exited) {
      const { reject, timer } = this.waiting;
      this.waiting = undefined;
      clearTimeout(timer);
      reject(new Error(`the shell exited; output so far:\n${this.out}${this.err}`));
    }
  }

  takeErrors() {
    const e = this.err;
    this.err = '';
    return e;
  }

  /** Runs one command line; resolves to {output, status, shellErrors}. */
  run(cmd, timeoutMs = 180_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        reject(new Error(`timed out after ${timeoutMs / 1000} s; output so far:\n${this.out}`));
      }, timeoutMs);
      this.waiting = { resolve, reject, timer };
      // The status is kept and restored, so that a README's `echo $?` sees the command's.
      this.proc.stdin.write(
        `{ ${cmd}\n} </dev/null 2>&1; __cm_status=$?; printf '\\n${MARK}%s\\n' "$__cm_status"; (exit $__cm_status)\n`,
      );
    });
  }

  close() {
    try {
      process.kill(-this.proc.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
