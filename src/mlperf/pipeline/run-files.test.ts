import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { submissionSystemName } from '../submission/results-tree.js';
import { hasValidRun, hwNameOf, measurementsJson, sutInfo, sutName } from './run-files.js';

test('the SUT name is the submission system name of its cm-sut-info.json', () => {
  const n = {
    hwName: 'vm',
    implementation: 'typescript',
    device: 'cpu',
    backend: 'onnxruntime',
    backendVersion: '1.31.1',
  };
  assert.equal(sutName(n), 'vm-typescript-cpu-onnxruntime-v1.31.1-default_config');
  assert.equal(submissionSystemName(sutInfo(n)), sutName(n));
  assert.equal(hwNameOf('my host/01'), 'my_host_01');
  assert.equal(hwNameOf('...'), 'default');
});

test('measurements.json has the fields the checker requires', () => {
  const m = JSON.parse(
    measurementsJson({
      startingWeightsFilename: 'u',
      retraining: 'no',
      inputDataTypes: 'fp32',
      weightDataTypes: 'fp32',
      weightTransformations: 'no',
    }),
  );
  assert.deepEqual(Object.keys(m).sort(), [
    'input_data_types',
    'retraining',
    'starting_weights_filename',
    'weight_data_types',
    'weight_transformations',
  ]);
});

test('a folder holds a valid run when its summary says VALID (performance) or it was scored (accuracy)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-run-files-'));
  try {
    assert.equal(await hasValidRun(dir, 'performance'), false);
    writeFileSync(join(dir, 'mlperf_log_summary.txt'), 'Result is : INVALID\n');
    assert.equal(await hasValidRun(dir, 'performance'), false);
    writeFileSync(join(dir, 'mlperf_log_summary.txt'), 'SUT name : x\nResult is : VALID\n');
    assert.equal(await hasValidRun(dir, 'performance'), true);
    assert.equal(await hasValidRun(dir, 'accuracy'), false);
    writeFileSync(join(dir, 'accuracy.txt'), 'accuracy=75.000%, good=6, total=8\n');
    assert.equal(await hasValidRun(dir, 'accuracy'), true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
