import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nowNs, prepareClock, sleepUntil } from './clock.js';

test('sleepUntil never resolves early, and keeps the event loop turning while it waits', async () => {
  prepareClock();
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  try {
    const start = nowNs();
    for (const afterUs of [0, 50, 300, 1_500, 4_000]) {
      const deadline = start + BigInt(afterUs) * 1000n + 5_000_000n;
      await sleepUntil(deadline);
      assert.ok(nowNs() >= deadline, `woke before the deadline (+${afterUs} µs)`);
    }
    // 5 ms and more of waiting: timers ran meanwhile (the wait yields outside its last 200 µs).
    assert.ok(turns > 0, 'no timer ran while waiting');
  } finally {
    clearInterval(ticker);
  }
});

test('a deadline in the past resolves at once', async () => {
  const t = nowNs();
  await sleepUntil(t - 1_000_000n);
  assert.ok(nowNs() - t < 50_000_000n);
});
