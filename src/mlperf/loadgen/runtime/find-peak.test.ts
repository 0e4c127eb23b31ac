import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyntheticQsl, SyntheticSut } from '../synthetic-sut.js';
import { defaultTestSettings, type TestSettings } from '../settings/index.js';
import { isSearchFinished } from './find-peak.js';
import { startTest } from './start-test.js';

/** The logs stay in memory (LoadGen's default folder is the current one). */
const NO_FILES = { logSettings: { outdir: '' } };

function messages(detail: string): string[] {
  return detail
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l.slice(':::MLLOG '.length)) as { key: string; value: unknown })
    .filter((e) => e.key === 'generic_message' || e.key.startsWith('error'))
    .map((e) => `${e.key}: ${String(e.value)}`);
}

test('the search ends when the bounds differ by at most one unit of the precision', () => {
  assert.equal(isSearchFinished(800, 800.19, 1), true);
  assert.equal(isSearchFinished(800, 800.2, 1), false);
  assert.equal(isSearchFinished(800, 801, 0), true);
  assert.equal(isSearchFinished(800, 802, 0), false);
});

test('FindPeakPerformance widens then bisects the Server target_qps to the last passing run', async () => {
  // One worker taking 1 ms per sample: about 1,000 samples/s at most; beyond, the queue grows
  // and the p99 passes 50 ms within the run.
  const settings: TestSettings = {
    ...defaultTestSettings(),
    scenario: 'Server',
    mode: 'FindPeakPerformance',
    serverTargetQps: 100,
    serverTargetLatencyNs: 50_000_000n,
    minDurationMs: 150,
    minQueryCount: 100,
    serverFindPeakQpsDecimalsOfPrecision: 0,
    serverFindPeakQpsBoundaryStepSize: 1,
  };
  const out = await startTest(
    new SyntheticSut(1000, 1),
    new SyntheticQsl(1024, 1024),
    settings,
    NO_FILES,
  );
  const said = messages(out.detail);
  assert.equal(said[0], 'generic_message: Starting FindPeakPerformance mode');
  assert.equal(
    said[1],
    'generic_message: FindPeakPerformance: Check validity of the base settings field: 100.000000',
  );
  assert.equal(
    said[2],
    'generic_message: FindBoundaries: Checking fields [100.000000, 200.000000)',
  );
  const found = said.find((m) => m.includes('Found boundaries'));
  const [, lower, upper] = /\[(\d+\.\d{6}), (\d+\.\d{6})\)/.exec(found ?? '') ?? [];
  assert.ok(Number(upper) === 2 * Number(lower), found);
  const peakLine = said.find((m) => m.includes('Found peak performance field'));
  const peak = Number(/field: ([\d.]+)$/.exec(peakLine ?? '')?.[1]);
  assert.ok(peak >= Number(lower) && peak < Number(upper), `${peak} in [${lower}, ${upper})`);
  assert.ok(peak > 100 && peak < 1600, `peak ${peak}`);
  // The summary is the peak run's, with its target_qps.
  assert.equal(out.results.length, 1);
  assert.match(out.summary, /^Mode {5}: FindPeakPerformance$/m);
  const shown = Number(/^target_qps : ([\d.]+)$/m.exec(out.summary)?.[1]);
  assert.ok(Math.abs(shown - peak) / peak < 1e-4, `summary target_qps ${shown}, peak ${peak}`);
  assert.equal(out.results[0]!.checks.isPerfConstraintsMet, true);
});

test('FindPeakPerformance outside Server is the official error', async () => {
  const out = await startTest(
    new SyntheticSut(0),
    new SyntheticQsl(64, 64),
    {
      ...defaultTestSettings(),
      scenario: 'Offline',
      mode: 'FindPeakPerformance',
    },
    NO_FILES,
  );
  assert.deepEqual(messages(out.detail).slice(-2), [
    'generic_message: Starting FindPeakPerformance mode',
    'error_invalid_config: Finding peak performance is only supported in Server scenarios.',
  ]);
  assert.equal(out.results.length, 0);
});
