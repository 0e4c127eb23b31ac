import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CmError } from '../../core/errors.js';
import { runSiblings } from './dep-scheduler.js';

/** A log of what happened, as `start i`, `end i`, `merge i` lines in time order. */
function recorder() {
  const log: string[] = [];
  let running = 0;
  let most = 0;
  return {
    log,
    most: () => most,
    job: (i: number, ms: number, fail?: string) => async () => {
      log.push(`start ${i}`);
      most = Math.max(most, ++running);
      await sleep(ms);
      running--;
      log.push(`end ${i}`);
      if (fail) throw new CmError('script-failed', fail, { hint: `hint ${i}` });
      return `r${i}`;
    },
  };
}

test('independent items run at once; results and merges come in declaration order', async () => {
  const r = recorder();
  const delays = [60, 10, 30, 20];
  const merges: string[] = [];
  const out = await runSiblings(4, {
    limit: 4,
    canStartEarly: () => true,
    run: (i) => r.job(i, delays[i]!)(),
    merge: (i, v) => merges.push(`${i}:${v}`),
  });
  assert.equal(r.most(), 4, 'all four at once');
  assert.deepEqual(
    out.map((o) => o.value),
    ['r0', 'r1', 'r2', 'r3'],
  );
  assert.deepEqual(merges, ['0:r0', '1:r1', '2:r2', '3:r3']);
  assert.deepEqual(
    out.map((o) => o.startedEarly),
    [false, true, true, true],
  );
  assert.deepEqual(r.log.slice(0, 4), ['start 0', 'start 1', 'start 2', 'start 3']);
});

test('the limit caps how many run; limit 1 is one after the other, never asking', async () => {
  const r = recorder();
  await runSiblings(5, {
    limit: 2,
    canStartEarly: () => true,
    run: (i) => r.job(i, 15)(),
  });
  assert.equal(r.most(), 2);
  const s = recorder();
  let asked = 0;
  await runSiblings(3, {
    limit: 1,
    canStartEarly: () => {
      asked++;
      return true;
    },
    run: (i) => s.job(i, 5)(),
  });
  assert.equal(asked, 0);
  assert.deepEqual(s.log, ['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
});

test('an item that depends on an unfinished earlier one waits for its merge; launches stay in order', async () => {
  const r = recorder();
  const asked: string[] = [];
  const merged: number[] = [];
  // 1 depends on 0; 2 and 3 are independent of everything.
  await runSiblings(4, {
    limit: 4,
    canStartEarly: (i, unmerged) => {
      asked.push(`${i}:${unmerged.join(',')}`);
      return !(i === 1 && unmerged.includes(0));
    },
    run: (i) => r.job(i, i === 0 ? 40 : 10)(),
    merge: (i) => merged.push(i),
  });
  assert.deepEqual(r.log.slice(0, 3), ['start 0', 'end 0', 'start 1'], '1 waits for 0');
  assert.ok(r.log.indexOf('start 2') > r.log.indexOf('start 1'), 'launches in declaration order');
  assert.deepEqual(merged, [0, 1, 2, 3]);
  // Once 0 is merged, 1 starts as it would one after the other, unasked.
  assert.deepEqual(asked, ['1:0', '2:1', '3:1,2']);
});

test('a finished item waiting behind a running earlier one still counts as unmerged', async () => {
  const seen: string[] = [];
  await runSiblings(3, {
    limit: 3,
    canStartEarly: (i, unmerged) => {
      seen.push(`${i}:${unmerged.join(',')}`);
      return i !== 2 || seen.length > 2; // 2 is refused once, then asked again when 1 ends
    },
    run: async (i) => {
      await sleep(i === 0 ? 40 : 5);
      return i;
    },
  });
  assert.equal(seen[0], '1:0');
  assert.equal(seen[1], '2:0,1');
  assert.equal(seen[2], '2:0,1', '1 has finished but cannot be merged before 0');
});

test('a failure stops new launches, lets running ones end, and rejects with the first in time', async () => {
  const r = recorder();
  const merged: number[] = [];
  const running: string[] = [];
  await assert.rejects(
    runSiblings(5, {
      limit: 3,
      canStartEarly: () => true,
      run: (i) =>
        r.job(i, [50, 10, 30, 5, 5][i]!, i === 1 || i === 2 ? `dep ${i} broke` : undefined)(),
      merge: (i) => merged.push(i),
      onRunning: (ids) => running.push(ids.join(',')),
      describe: (i) => `par-sleep _${'abcde'[i]}`,
    }),
    (e: unknown) => {
      assert.ok(e instanceof CmError);
      assert.equal(e.message, 'dep 1 broke', 'the first to fail in time');
      assert.equal(e.code, 'script-failed');
      assert.match(
        e.hint!,
        /^hint 1\nalso failed while running deps finished:\n {2}par-sleep _c: dep 2 broke$/,
      );
      assert.deepEqual(e.details?.['also_failed'], [
        { dep: 'par-sleep _c', error: 'dep 2 broke', code: 'script-failed' },
      ]);
      return true;
    },
  );
  assert.ok(!r.log.includes('start 3'), 'nothing new after the failure');
  assert.ok(r.log.includes('end 0') && r.log.includes('end 2'), 'running ones finished');
  assert.deepEqual(merged, [0], 'the item before the failed one is merged, none after');
  assert.equal(running.at(-1), '');
});

test('a single failure is rejected as it is; a throwing merge fails its item', async () => {
  const boom = new Error('bug');
  await assert.rejects(
    runSiblings(2, {
      limit: 2,
      canStartEarly: () => true,
      run: async (i) => {
        if (i) throw boom;
        return i;
      },
    }),
    (e) => e === boom,
  );
  const bad = new CmError('bad-input', 'List value expected for +PATH');
  const ran: number[] = [];
  await assert.rejects(
    runSiblings(3, {
      limit: 1,
      canStartEarly: () => true,
      run: async (i) => {
        ran.push(i);
        return i;
      },
      merge: (i) => {
        if (i === 1) throw bad;
      },
    }),
    (e) => e === bad,
  );
  assert.deepEqual(ran, [0, 1]);
  assert.deepEqual(
    await runSiblings(0, { limit: 4, canStartEarly: () => true, run: async () => 1 }),
    [],
  );
});

test('an item is started in the same tick as the decision to start it', async () => {
  const calls: number[] = [];
  const p = runSiblings(2, {
    limit: 2,
    canStartEarly: () => true,
    run: async (i) => {
      calls.push(i);
      await sleep(1);
    },
  });
  assert.deepEqual(calls, [0, 1], 'both called before runSiblings returned');
  await p;
});
