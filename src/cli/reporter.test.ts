import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReporter } from './reporter.js';

function reporter(columns: number | undefined) {
  const err: string[] = [];
  const r = createReporter({
    json: false,
    silent: false,
    quiet: false,
    debug: [],
    stdout: () => undefined,
    stderr: (s) => err.push(s),
    ttyColumns: () => columns,
  });
  return { err, onEvent: r.onEvent };
}

test('a transient status line is erased before the next message; a bar is left on its line', () => {
  const t = reporter(20);
  const status = { type: 'progress', id: 'd', label: 'running a', done: 1, total: 2 } as const;
  t.onEvent({ ...status, unit: 'deps', transient: true });
  t.onEvent({ type: 'info', text: 'next' });
  assert.equal(t.err.length, 3);
  assert.match(t.err[0]!, /^\rrunning a/);
  assert.equal(t.err[1], `\r${' '.repeat(19)}\r`);
  assert.equal(t.err[2], 'next\n');
  const b = reporter(20);
  b.onEvent(status);
  b.onEvent({ type: 'info', text: 'next' });
  assert.deepEqual(b.err.slice(1), ['\n', 'next\n']);
  const piped = reporter(undefined);
  piped.onEvent({ ...status, transient: true });
  piped.onEvent({ type: 'info', text: 'next' });
  assert.deepEqual(piped.err, ['next\n'], 'not a TTY: no status line at all');
});
