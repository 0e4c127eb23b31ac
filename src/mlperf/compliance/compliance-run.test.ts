import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startTest, SyntheticQsl, SyntheticSut, defaultTestSettings } from '../loadgen/index.js';
import type { Scenario, TestMode } from '../loadgen/index.js';
import { auditConfigText, type ComplianceTest } from './audit-config.js';
import { complianceRunDir, verifyComplianceRun } from './compliance-run.js';

/** One synthetic run (Offline: 110 samples of 0.5 ms, VALID) into `outdir`, with an audit.config when given. */
async function run(
  outdir: string,
  mode: TestMode,
  audit?: ComplianceTest,
  scenario: Scenario = 'Offline',
): Promise<void> {
  await startTest(
    new SyntheticSut(500),
    new SyntheticQsl(64, 64),
    {
      ...defaultTestSettings(),
      scenario,
      mode,
      offlineExpectedQps: 2000,
      minDurationMs: 50,
      minQueryCount: 1,
    },
    {
      logSettings: { outdir },
      ...(audit ? { auditConfigText: auditConfigText(audit, scenario) } : {}),
    },
  );
}

async function scenarioFolder(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-compliance-'));
  await run(join(dir, 'performance', 'run_1'), 'PerformanceOnly');
  await run(join(dir, 'accuracy'), 'AccuracyOnly');
  return dir;
}

/**
 * A scenario folder with its TEST01 run, whose accuracy run's answers are then rewritten by
 * `edit` (the SUT answered otherwise there); `body` gets the folder, removed afterwards.
 */
async function withEditedTest01(
  edit: (log: string) => string,
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await scenarioFolder();
  try {
    await run(complianceRunDir(dir, 'TEST01'), 'PerformanceOnly', 'TEST01');
    const file = join(dir, 'accuracy', 'mlperf_log_accuracy.json');
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every answer of the accuracy run made 1.0 (float32). */
const allOnes = (log: string): string =>
  log.replace(/"data" : "[0-9A-F]*"/g, '"data" : "0000803F"');

test('TEST01 and TEST04 of a consistent SUT pass, with the official report lines', async () => {
  const dir = await scenarioFolder();
  try {
    await run(complianceRunDir(dir, 'TEST01'), 'PerformanceOnly', 'TEST01');
    const t1 = await verifyComplianceRun(dir, 'TEST01');
    const acc = readFileSync(join(dir, 'TEST01', 'verify_accuracy.txt'), 'utf8');
    assert.match(acc, /^num_perf_log_data_mismatch = 0$/m);
    assert.match(acc, /^TEST PASS$/m);
    const perf1 = readFileSync(join(dir, 'TEST01', 'verify_performance.txt'), 'utf8');
    assert.match(
      perf1,
      /^Verifying performance\.\nReference score = [\d.]+\nTest score = [\d.]+\n/,
    );
    readFileSync(join(dir, 'TEST01', 'accuracy', 'mlperf_log_accuracy.json'), 'utf8');
    // The timing part may miss its ±10 % on a loaded machine; the accuracy part may not.
    assert.equal(t1.reports.length, 2);
    await run(complianceRunDir(dir, 'TEST04'), 'PerformanceOnly', 'TEST04');
    const detail = readFileSync(
      join(complianceRunDir(dir, 'TEST04'), 'mlperf_log_detail.txt'),
      'utf8',
    );
    assert.match(detail, /"key": "effective_performance_issue_same", "value": true/);
    const t4 = await verifyComplianceRun(dir, 'TEST04');
    const perf4 = readFileSync(join(dir, 'TEST04', 'verify_performance.txt'), 'utf8');
    assert.match(
      perf4,
      /^reference score = [\d.]+\ntest score = [\d.]+\nTEST (PASS|FAIL: Test score invalid)\n$/m,
    );
    assert.equal(t4.reports.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TEST01 fails when a sampled response differs from the accuracy run', () =>
  withEditedTest01(allOnes, async (dir) => {
    const out = await verifyComplianceRun(dir, 'TEST01');
    assert.equal(out.isPassing, false);
    const acc = readFileSync(join(dir, 'TEST01', 'verify_accuracy.txt'), 'utf8');
    assert.match(acc, /^num_perf_log_data_mismatch = [1-9]\d*$/m);
    assert.match(acc, /^TEST FAIL$/m);
  }));

/** A val_map.txt whose label of sample i is i (the synthetic SUT answers its index). */
function valMap(dir: string): string {
  const file = join(dir, 'val_map.txt');
  writeFileSync(file, Array.from({ length: 64 }, (_, i) => `img_${i}.JPEG ${i}\n`).join(''));
  return file;
}

test('TEST01 of a non-deterministic SUT passes when its accuracy holds (the official second chance)', () =>
  // The accuracy run answered 5.25 for sample 5 (5.0 in the performance run): another response,
  // the same class.
  withEditedTest01(
    (log) => log.replace(/("qsl_idx" : 5, "data" : ")0000A040"/g, '$10000A840"'),
    async (dir) => {
      const out = await verifyComplianceRun(dir, 'TEST01', 'float32', { valMap: valMap(dir) });
      const verify = readFileSync(join(dir, 'TEST01', 'verify_accuracy.txt'), 'utf8');
      assert.match(verify, /^TEST FAIL$/m, 'the deterministic check must fail first');
      const accDir = join(dir, 'TEST01', 'accuracy');
      const baseline = readFileSync(join(accDir, 'baseline_accuracy.txt'), 'utf8');
      const compliance = readFileSync(join(accDir, 'compliance_accuracy.txt'), 'utf8');
      assert.match(baseline, /^accuracy=100\.000%, good=(\d+), total=\1\n$/);
      assert.equal(readFileSync(join(accDir, 'accuracy.txt'), 'utf8'), compliance);
      assert.deepEqual(
        out.reports.slice(2).map((f) => f.slice(accDir.length + 1)),
        ['baseline_accuracy.txt', 'compliance_accuracy.txt', 'accuracy.txt'],
      );
      // Only the timing part (±10 % on a loaded machine) could fail it now.
      const perfPassed = readFileSync(
        join(dir, 'TEST01', 'verify_performance.txt'),
        'utf8',
      ).includes('TEST PASS');
      assert.equal(out.isPassing, perfPassed);
    },
  ));

test('TEST01 of a SUT whose accuracy changed fails the second chance too', () =>
  withEditedTest01(allOnes, async (dir) => {
    const out = await verifyComplianceRun(dir, 'TEST01', 'float32', { valMap: valMap(dir) });
    assert.equal(out.isPassing, false);
    const accDir = join(dir, 'TEST01', 'accuracy');
    assert.match(
      readFileSync(join(accDir, 'compliance_accuracy.txt'), 'utf8'),
      /^accuracy=100\.000%/,
    );
    assert.doesNotMatch(
      readFileSync(join(accDir, 'baseline_accuracy.txt'), 'utf8'),
      /^accuracy=100/,
    );
  }));

test('a compliance test without the performance run it compares with names the missing file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-compliance-'));
  try {
    await assert.rejects(verifyComplianceRun(dir, 'TEST04'), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(`TEST04 needs ${join(dir, 'performance', 'run_1', 'mlperf_log_summary.txt')}`),
      );
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
