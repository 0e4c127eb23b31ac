// End-to-end: `mlperf-loadgen onnx` (spec loadgen.md §6.4), the onnxruntime-node harness, on the
// tiny model in resnet50_v1.onnx's layout and a few preprocessed samples: the accuracy log of an
// accuracy run, the logs and cm-output.json of performance runs, and bad input named by path.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { root } from './helpers.js';
import { writeTinyDataset } from '../../dist/mlperf/harness/tiny-dataset.js';

const bin = join(root, 'bin', 'mlperf-loadgen.js');
const IMAGES = 8;
const WRONG = [2, 5];

function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'cm-loadgen-onnx-'));
  return { dir, ...writeTinyDataset(dir, { images: IMAGES, wrong: WRONG }) };
}

function run(f, args, conf) {
  const outdir = mkdtempSync(join(f.dir, 'out-'));
  const argv = ['onnx', '--model', f.model, '--dataset-list', f.datasetList];
  argv.push('--preprocessed', f.preprocessedDir, '--outdir', outdir, ...args);
  if (conf !== undefined) {
    writeFileSync(join(outdir, 'user.conf'), conf);
    argv.push('--user_conf', join(outdir, 'user.conf'));
  }
  const r = spawnSync(process.execPath, [bin, ...argv], { encoding: 'utf8' });
  const read = (name) => readFileSync(join(outdir, name), 'utf8');
  return { ...r, outdir, read, json: (name) => JSON.parse(read(name)) };
}

/** CM's "test" run style (spec §6.3): no minimum duration, a few queries. */
function testStyleConf(scenario, queries) {
  return [
    `resnet50.${scenario}.min_duration = 0`,
    `resnet50.${scenario}.min_query_count = ${queries}`,
    `resnet50.${scenario}.max_query_count = ${queries}`,
    `resnet50.${scenario}.target_qps = 200`,
    `resnet50.${scenario}.target_latency = 10`,
    `resnet50.${scenario}.performance_sample_count_override = ${IMAGES}`,
    '',
  ].join('\n');
}

describe('mlperf-loadgen onnx', { concurrency: 2 }, () => {
  const f = fixture();

  test('accuracy mode (Offline): one entry per sample holding the predicted class as float32', () => {
    const r = run(f, ['--scenario', 'Offline', '--mode', 'accuracy']);
    assert.equal(r.status, 0, r.stderr);
    const entries = r.json('mlperf_log_accuracy.json');
    assert.equal(entries.length, IMAGES);
    assert.deepEqual(entries.map((e) => e.qsl_idx).sort(), [0, 1, 2, 3, 4, 5, 6, 7]);
    for (const e of entries) {
      const hex = Buffer.alloc(4);
      hex.writeFloatLE(f.predicted[e.qsl_idx]);
      assert.equal(e.data, hex.toString('hex').toUpperCase(), `sample ${e.qsl_idx}`);
    }
    const out = r.json('cm-output.json');
    assert.equal(out.mode, 'AccuracyOnly');
    assert.equal(out.accuracy.line, 'accuracy=75.000%, good=6, total=8');
    assert.match(r.stderr, /^mlperf-loadgen onnx: .*input_tensor:0 -> ArgMax:0/m);
    assert.match(r.stderr, /accuracy=75\.000%/);
    assert.deepEqual(r.stdout.trim().split('\n').at(-1), join(r.outdir, 'cm-output.json'));
  });

  for (const scenario of ['SingleStream', 'Offline', 'Server']) {
    test(`performance mode (${scenario}), test style: the logs and cm-output.json`, () => {
      const r = run(
        f,
        ['--scenario', scenario, '--mode', 'performance', '--max-batchsize', '4'],
        testStyleConf(scenario, 16),
      );
      assert.equal(r.status, 0, r.stderr);
      const summary = r.read('mlperf_log_summary.txt');
      assert.match(summary, new RegExp(`^Scenario : ${scenario}$`, 'm'));
      assert.match(summary, /^Mode {5}: PerformanceOnly$/m);
      assert.match(summary, /^SUT name : onnxruntime-node SUT$/m);
      assert.match(summary, /^Result is : (VALID|INVALID)$/m);
      assert.equal(r.read('mlperf_log_accuracy.json'), '[\n]\n');
      const out = r.json('cm-output.json');
      assert.equal(out.scenario, scenario);
      assert.equal(out.mode, 'PerformanceOnly');
      assert.ok(out.metric.value >= 0);
      if (scenario === 'Offline') assert.ok(out.samples >= 16, `${out.samples} samples`);
      else assert.equal(out.samples, 16);
      assert.equal(out.harness.failed_samples, 0);
      assert.equal(out.harness.max_batchsize, 4);
      const detail = r.read('mlperf_log_detail.txt');
      assert.match(detail, /"key": "effective_scenario", "value": "/);
    });
  }

  test('bad input: a missing or corrupt model and a missing .npy are named, exit 1', () => {
    const missing = join(f.dir, 'none.onnx');
    const noModel = run({ ...f, model: missing }, ['--scenario', 'Offline']);
    assert.equal(noModel.status, 1, noModel.stderr);
    assert.match(noModel.stderr, /^mlperf-loadgen: the model .*none\.onnx does not exist/m);
    assert.ok(noModel.stderr.includes(missing));

    const corrupt = join(f.dir, 'corrupt.onnx');
    writeFileSync(
      corrupt,
      Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256),
    );
    const bad = run({ ...f, model: corrupt }, ['--scenario', 'Offline']);
    assert.equal(bad.status, 1, bad.stderr);
    assert.ok(bad.stderr.includes(`onnxruntime cannot load the model ${corrupt}: `), bad.stderr);
    assert.match(bad.stderr, /^ {2}hint: /m);

    const g = fixture();
    const gone = join(g.preprocessedDir, `${g.images[3]}.npy`);
    rmSync(gone);
    const noSample = run(g, ['--scenario', 'Offline']);
    assert.equal(noSample.status, 1, noSample.stderr);
    assert.ok(noSample.stderr.includes(gone), noSample.stderr);
    assert.equal(run(g, ['--scenario', 'Offline', '--count', '3']).status, 0, 'the first 3 exist');
  });

  test('bad arguments exit 2 with the usage; --help prints it', () => {
    const r = run(f, ['--scenario', 'Offline', '--workers', 'two']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--workers must be a whole number >= 0/);
    assert.match(r.stderr, /^usage: mlperf-loadgen onnx --model FILE/m);
    const unknown = run(f, ['--scenario', 'Offline', '--batch', '3']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /usage: mlperf-loadgen onnx/);
    const help = spawnSync(process.execPath, [bin, 'onnx', '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--max-batchsize B/);
  });
});
