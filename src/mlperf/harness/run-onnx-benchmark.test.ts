import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { runOnnxBenchmark, type HarnessEvent } from './run-onnx-benchmark.js';
import { writeTinyDataset } from './tiny-dataset.js';

function fixture(images: number, wrong: number[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'cm-harness-'));
  const data = writeTinyDataset(dir, { images, size: 8, wrong });
  const outdir = join(dir, 'out');
  return { dir, data, outdir, ...data, preprocessedDir: data.preprocessedDir };
}

test('an accuracy run answers every sample with its class as a float32 and scores it', async () => {
  const f = fixture(6, [4]);
  const events: HarnessEvent['type'][] = [];
  const r = await runOnnxBenchmark({
    model: f.model,
    datasetList: f.datasetList,
    preprocessedDir: f.preprocessedDir,
    scenario: 'Offline',
    mode: 'accuracy',
    outdir: f.outdir,
    workers: 0,
    onEvent: (e) => events.push(e.type),
  });
  assert.deepEqual(events, ['dataset-opened', 'model-loaded', 'warm-up-done', 'test-finished']);
  const log = JSON.parse(readFileSync(join(f.outdir, 'mlperf_log_accuracy.json'), 'utf8')) as {
    qsl_idx: number;
    data: string;
  }[];
  assert.equal(log.length, 6);
  for (const e of log) {
    const bytes = Buffer.from(e.data, 'hex');
    assert.equal(bytes.readFloatLE(0), f.data.predicted[e.qsl_idx], `sample ${e.qsl_idx}`);
  }
  assert.equal(r.accuracy?.good, 5);
  assert.equal(r.failedSamples, 0);
  const out = JSON.parse(readFileSync(join(f.outdir, 'cm-output.json'), 'utf8'));
  assert.equal(out.mode, 'AccuracyOnly');
  assert.equal(out.accuracy.line, 'accuracy=83.333%, good=5, total=6');
  assert.equal(out.harness.output, 'ArgMax:0');
  assert.equal(out.harness.max_batchsize, 32);
  assert.equal(out.harness.batches, 1);
  assert.deepEqual(
    r.files.map((p) => p.slice(f.outdir.length + 1)),
    [
      'mlperf_log_summary.txt',
      'mlperf_log_detail.txt',
      'mlperf_log_accuracy.json',
      'cm-output.json',
    ],
  );
});

test('--count N runs the first N images as N SingleStream queries on one worker thread', async () => {
  const f = fixture(6);
  const conf = join(f.dir, 'user.conf');
  writeFileSync(conf, '*.SingleStream.min_duration = 0\n*.SingleStream.target_latency = 5\n');
  const r = await runOnnxBenchmark({
    model: f.model,
    datasetList: f.datasetList,
    preprocessedDir: f.preprocessedDir,
    scenario: 'SingleStream',
    mode: 'performance',
    outdir: f.outdir,
    userConf: conf,
    count: 4,
    workers: 2,
  });
  const result = r.outcome.results[0]!;
  assert.equal(result.queryCount, 4);
  assert.equal(r.keyResults['scenario'], 'SingleStream');
  assert.deepEqual(
    { ...(r.keyResults['harness'] as object) },
    {
      ...(r.keyResults['harness'] as object),
      workers: 1,
      max_batchsize: 1,
      batches: 4,
      failed_samples: 0,
    },
  );
  assert.match(r.outcome.detail, /"key": "qsl_reported_total_count", "value": 4,/);
});

test('an unreadable user.conf is an error naming it (the reference exits too)', async () => {
  const f = fixture(1);
  await assert.rejects(
    runOnnxBenchmark({
      model: f.model,
      datasetList: f.datasetList,
      preprocessedDir: f.preprocessedDir,
      scenario: 'Offline',
      mode: 'performance',
      outdir: f.outdir,
      userConf: join(f.dir, 'none.conf'),
    }),
    (e: unknown) => e instanceof CmError && e.message.includes(join(f.dir, 'none.conf')),
  );
});
