import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CmEvent } from '../../core/events.js';
import type { CmContext } from '../context.js';
import { orderedEvents, withEmit } from './buffered-events.js';

const info = (text: string): CmEvent => ({ type: 'info', text });
/** The texts that reached the sink, and the status lines as `status: LABEL [done/total]`. */
function shown(events: CmEvent[]): string[] {
  return events.map((e) =>
    e.type === 'progress'
      ? `status: ${e.label} [${e.done}/${e.total}]${e.finished ? ' end' : ''}`
      : e.type === 'script'
        ? `script: ${e.step.kind}`
        : e.text,
  );
}

test('the first dep streams; a later one is held until every earlier one has ended', () => {
  const out: CmEvent[] = [];
  const ev = orderedEvents((e) => out.push(e), 3, { id: 'deps', label: (i) => `d${i}` });
  const [s0, s1, s2] = [0, 1, 2].map((i) => ev.sinkOf(i));
  ev.started(0);
  s0!(info('0 start'));
  ev.started(1);
  ev.started(2);
  s1!(info('1 start'));
  s2!(info('2 start'));
  s2!(info('2 end'));
  ev.finished(2);
  s0!(info('0 end'));
  assert.deepEqual(
    shown(out).filter((t) => !t.startsWith('status')),
    ['0 start', '0 end'],
  );
  ev.finished(0);
  s1!(info('1 end'));
  ev.finished(1);
  assert.deepEqual(
    shown(out).filter((t) => !t.startsWith('status')),
    ['0 start', '0 end', '1 start', '1 end', '2 start', '2 end'],
  );
});

test('a status line names what runs while two or more run, redrawn after output, then ends', () => {
  const out: CmEvent[] = [];
  const ev = orderedEvents((e) => out.push(e), 2, { id: 'deps', label: (i) => `d${i}` });
  ev.started(0);
  assert.equal(out.length, 0, 'one dep alone: no status line');
  ev.started(1);
  ev.sinkOf(0)(info('line'));
  ev.finished(0);
  ev.finished(1);
  assert.deepEqual(shown(out), [
    'status: running d0, d1 [0/2]',
    'line',
    'status: running d0, d1 [0/2]',
    'status: running d1 [1/2] end',
  ]);
  const p = out[0] as Extract<CmEvent, { type: 'progress' }>;
  assert.equal(p.unit, 'deps');
  assert.equal(p.transient, true);
  assert.equal(p.id, 'deps');
});

test('close gives out what is held, in order, after a failure stopped the others', () => {
  const out: CmEvent[] = [];
  const ev = orderedEvents((e) => out.push(e), 3, { id: 'deps', label: String });
  ev.started(0);
  ev.started(1);
  ev.sinkOf(1)(info('1 said'));
  ev.sinkOf(1)({ type: 'progress', id: 'dl', label: 'f', done: 1 });
  ev.sinkOf(1)({ type: 'progress', id: 'dl', label: 'f', done: 2, finished: true });
  ev.sinkOf(0)(info('0 failed'));
  ev.close();
  assert.deepEqual(
    shown(out).filter((t) => !t.startsWith('status: running')),
    ['0 failed', '1 said', 'status: f [2/undefined] end'],
  );
  assert.match(shown(out).at(-1)!, /end$/, 'the status line ends');
});

test('withEmit: the same context with another sink; getters still read the original', () => {
  let asked = 0;
  const sunk: CmEvent[] = [];
  const base = {
    cwd: '/here',
    emit: () => assert.fail('the original sink'),
    get isInteractive() {
      asked++;
      return false;
    },
  } as unknown as CmContext;
  const ctx = withEmit(base, (e) => sunk.push(e));
  ctx.emit(info('x'));
  assert.equal(sunk.length, 1);
  assert.equal(ctx.cwd, '/here');
  assert.equal(asked, 0, 'not evaluated by the copy');
  assert.equal(ctx.isInteractive, false);
  assert.equal(asked, 1);
});
