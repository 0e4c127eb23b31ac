// End-to-end: the MLPerf resnet50 benchmark through CM's scripts, as a user runs it —
// `cmr "run-mlperf,inference,_submission" --model=resnet50 --implementation=typescript ...` — on
// a tiny ONNX model in resnet50's layout (written from TypeScript) and generated JPEGs with their
// val_map.txt, since no ImageNet model or data can be downloaded here: the results tree (spec
// loadgen.md §6.6), accuracy, the submission folder and its checker (§6.7), the other scenarios
// and modes, a valid run not run again, key results that `cme` records, and bad input named.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel, root, sandbox } from './helpers.js';
import {
  imagenetValName,
  writeSyntheticImages,
} from '../../dist/mlperf/dataset/synthetic-images.js';
import { preprocessImageVgg } from '../../dist/mlperf/dataset/imagenet-preprocess.js';
import {
  tinyClassifierPredict,
  tinyClassifierWeights,
  tinyResnet50Onnx,
} from '../../dist/mlperf/onnx/tiny-classifier.js';

const COUNT = 8;
const RUN = 'run-mlperf,inference';
const COMMON = ['--model=resnet50', '--implementation=typescript', '--backend=onnxruntime'];

/**
 * A sandbox with the tiny model (tiny.onnx) and COUNT JPEGs in imgs/ whose labels are what the
 * model predicts (class − 1, as resnet50's background class shifts it), except every fourth one:
 * a known top-1 accuracy of 75 %.
 */
async function benchmarkSandbox() {
  const s = sandbox('cm-mlperf-');
  const images = join(s.dir, 'imgs');
  await writeSyntheticImages({ dir: images, count: COUNT });
  const model = tinyClassifierWeights(1001);
  writeFileSync(join(s.dir, 'tiny.onnx'), tinyResnet50Onnx(model));
  const lines = [];
  for (let i = 0; i < COUNT; i++) {
    const name = imagenetValName(i);
    const cls =
      tinyClassifierPredict(model, await preprocessImageVgg(join(images, name)), 224, 224) - 1;
    lines.push(`${name} ${i % 4 === 3 ? (cls + 1) % 1000 : cls}`);
  }
  writeFileSync(join(images, 'val_map.txt'), `${lines.join('\n')}\n`);
  const cmr = (...args) =>
    s.bin('cmr', ...args, ...COMMON, '--quiet', '--model_path=tiny.onnx', '--imagenet_path=imgs');
  return { s, cmr };
}

/** The one SUT folder of `<style>_results`. */
function sutDir(s, style = 'test') {
  const base = join(s.dir, `${style}_results`);
  const [sut] = readdirSync(base);
  return join(base, sut);
}

const read = (...parts) => readFileSync(join(...parts), 'utf8');

// Each test has its own sandbox: runs in one folder share its cm-output.json.
describe('MLPerf resnet50 through CM', parallel, () => {
  test('_submission: Offline performance and accuracy runs, the results tree, the submission and its check', async () => {
    const { s, cmr } = await benchmarkSandbox();
    const r = await cmr(
      `${RUN},_submission`,
      '--device=cpu',
      '--scenario=Offline',
      '--submitter=CTuning',
    );
    assert.equal(r.code, 0, r.stderr);
    const sut = sutDir(s);
    assert.match(sut, /-typescript-cpu-onnxruntime-v[\d.]+-default_config$/);
    const info = JSON.parse(read(sut, 'cm-sut-info.json'));
    assert.equal(info.implementation, 'typescript');
    const perf = join(sut, 'resnet50', 'offline', 'performance', 'run_1');
    for (const f of [
      'mlperf_log_summary.txt',
      'mlperf_log_detail.txt',
      'mlperf_log_accuracy.json',
      'user.conf',
      'mlperf.conf',
      'measurements.json',
      'README.md',
      'cm-output.json',
    ])
      assert.ok(existsSync(join(perf, f)), `${f} in ${perf}`);
    // The test run style's user.conf (spec §6.3), and LoadGen ran with it.
    assert.match(read(perf, 'user.conf'), /^resnet50\.Offline\.target_qps = 1\.0$/m);
    assert.match(read(perf, 'user.conf'), /^resnet50\.Offline\.min_query_count = 10$/m);
    assert.match(read(perf, 'mlperf_log_summary.txt'), /^Scenario : Offline$/m);
    assert.match(read(perf, 'mlperf_log_summary.txt'), /^Result is : VALID$/m);
    const measurements = JSON.parse(read(perf, 'measurements.json'));
    assert.equal(measurements.input_data_types, 'fp32');
    // The accuracy run, scored against the labels: 6 of 8 right.
    const acc = join(sut, 'resnet50', 'offline', 'accuracy');
    assert.equal(read(acc, 'accuracy.txt').split('\n')[0], 'accuracy=75.000%, good=6, total=8');
    const log = JSON.parse(read(acc, 'mlperf_log_accuracy.json'));
    assert.equal(new Set(log.map((e) => e.qsl_idx)).size, COUNT);
    // The submission folder (§6.7) and what the checker says of a test run.
    const sub = join(s.dir, 'mlperf_submission', 'open', 'CTuning');
    const [systemJson] = readdirSync(join(sub, 'systems'));
    const system = JSON.parse(read(sub, 'systems', systemJson));
    assert.equal(system.submitter, 'CTuning');
    assert.equal(system.division, 'open');
    assert.match(system.framework, /^onnxruntime v/);
    const result = join(sub, 'results', systemJson.replace(/\.json$/, ''), 'resnet50', 'Offline');
    for (const f of ['user.conf', 'measurements.json', 'performance/run_1/mlperf_log_detail.txt'])
      assert.ok(existsSync(join(result, f)), f);
    assert.match(read(result, 'accuracy', 'accuracy.txt'), /^hash=[0-9a-f]{64}$/m);
    const report = read(s.dir, 'mlperf_submission', 'submission-checker-report.txt');
    assert.match(report, /effective_min_duration_ms is 0, must be ≥ 600000/);
    assert.match(report, /edge systems must submit SingleStream/);
    assert.match(r.stderr, /A test run is not a valid submission: the checker found \d+ problem/);
    // The key results, for `cme`.
    const out = JSON.parse(read(s.dir, 'cm-output.json'));
    assert.equal(out.runs.Offline.performance.valid, true);
    assert.equal(out.runs.Offline.performance.metric.name, 'result_samples_per_second');
    assert.ok(out.runs.Offline.performance.metric.value > 0);
    assert.deepEqual(out.runs.Offline.accuracy.accuracy, {
      top1_percent: 75,
      good: 6,
      total: COUNT,
    });
  });

  test('closed division: _submission also runs TEST01 and TEST04 and verifies them', async () => {
    const { s, cmr } = await benchmarkSandbox();
    const r = await cmr(`${RUN},_submission`, '--scenario=Offline', '--division=closed');
    assert.equal(r.code, 0, r.stderr);
    const scenario = join(sutDir(s), 'resnet50', 'offline');
    // The same model answers the same: every sampled response matches the accuracy run's.
    const acc = read(scenario, 'TEST01', 'verify_accuracy.txt');
    assert.match(acc, /^num_perf_log_data_mismatch = 0$/m);
    assert.match(acc, /^TEST PASS$/m);
    assert.match(
      read(scenario, 'TEST01', 'performance', 'run_1', 'audit.config'),
      /^\*\.\*\.accuracy_log_sampling_target = 4096$/m,
    );
    assert.match(read(scenario, 'TEST01', 'verify_performance.txt'), /^Reference score = [\d.]+$/m);
    assert.ok(existsSync(join(scenario, 'TEST01', 'accuracy', 'mlperf_log_accuracy.json')));
    // TEST04 issued one sample again and again (its timing verdict depends on this machine).
    const detail = read(scenario, 'TEST04', 'performance', 'run_1', 'mlperf_log_detail.txt');
    assert.match(detail, /"key": "effective_performance_issue_same", "value": true/);
    assert.match(
      read(scenario, 'TEST04', 'verify_performance.txt'),
      /^TEST (PASS|FAIL: Test score invalid)$/m,
    );
    const out = JSON.parse(read(s.dir, 'cm-output.json'));
    assert.equal(out.runs.Offline.TEST01.compliance.test, 'TEST01');
    const sub = join(s.dir, 'mlperf_submission', 'closed', 'MLCommons', 'results');
    const [system] = readdirSync(sub);
    assert.ok(
      existsSync(join(sub, system, 'resnet50', 'Offline', 'TEST01', 'verify_accuracy.txt')),
    );
    assert.ok(
      existsSync(
        join(
          sub,
          system,
          'resnet50',
          'Offline',
          'TEST04',
          'performance',
          'run_1',
          'mlperf_log_summary.txt',
        ),
      ),
    );
  });

  test('the other scenarios run in performance mode; a valid run is not run again without --rerun', async () => {
    const { s, cmr } = await benchmarkSandbox();
    const r = await cmr(`${RUN},_performance-only`, '--scenarios=SingleStream,MultiStream,Server');
    assert.equal(r.code, 0, r.stderr);
    const sut = sutDir(s);
    for (const [folder, scenario] of [
      ['singlestream', 'SingleStream'],
      ['multistream', 'MultiStream'],
      ['server', 'Server'],
    ]) {
      const summary = read(
        sut,
        'resnet50',
        folder,
        'performance',
        'run_1',
        'mlperf_log_summary.txt',
      );
      assert.match(summary, new RegExp(`^Scenario : ${scenario}$`, 'm'));
    }
    const out = JSON.parse(read(s.dir, 'cm-output.json'));
    assert.deepEqual(Object.keys(out.runs).sort(), ['MultiStream', 'Server', 'SingleStream']);
    assert.ok(out.runs.Server.performance.metric.value > 0);
    // Offline's test run is VALID (the others stop at their 10 queries before early stopping
    // can be met): the next run keeps it, --rerun runs again.
    const first = await cmr(`${RUN},_performance-only`, '--scenario=Offline');
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      read(sut, 'resnet50', 'offline', 'performance', 'run_1', 'mlperf_log_summary.txt'),
      /^Result is : VALID$/m,
    );
    const again = await cmr(`${RUN},_performance-only`, '--scenario=Offline');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout + again.stderr, /Valid results are already in/);
    const rerun = await cmr(`${RUN},_performance-only`, '--scenario=Offline', '--rerun');
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.doesNotMatch(rerun.stdout + rerun.stderr, /Valid results are already in/);
  });

  test('_accuracy-only in SingleStream scores every image', async () => {
    const { s, cmr } = await benchmarkSandbox();
    const r = await cmr(
      `${RUN},_accuracy-only`,
      '--scenario=SingleStream',
      '--output_dir=acc-only',
    );
    assert.equal(r.code, 0, r.stderr);
    const base = join(s.dir, 'acc-only', 'test_results');
    const [sut] = readdirSync(base);
    const acc = join(base, sut, 'resnet50', 'singlestream', 'accuracy');
    assert.equal(read(acc, 'accuracy.txt').split('\n')[0], 'accuracy=75.000%, good=6, total=8');
    assert.equal(existsSync(join(base, sut, 'resnet50', 'singlestream', 'performance')), false);
  });

  test("cme sweeps scenarios and records each run's key results", async () => {
    const { s } = await benchmarkSandbox();
    const r = await s.bin(
      'cme',
      'mlperf-sweep',
      "--explore.S=['Offline','SingleStream']",
      '--',
      process.execPath,
      join(root, 'bin', 'cmr.js'),
      `${RUN},_performance-only`,
      '--scenario={{S}}',
      ...COMMON,
      '--quiet',
      `--model_path=${join(s.dir, 'tiny.onnx')}`,
      `--imagenet_path=${join(s.dir, 'imgs')}`,
    );
    assert.equal(r.code, 0, r.stderr);
    const show = await s.bin('cm', 'show', 'experiment', 'mlperf-sweep', '--csv', '-s');
    assert.equal(show.code, 0, show.stderr);
    const header = show.stdout.split('\n')[0].split(',');
    for (const key of [
      'S',
      'runs.Offline.performance.metric.value',
      'runs.SingleStream.performance.latency_ms.p90',
    ])
      assert.ok(header.includes(key), `${key} in ${header.join(',')}`);
  });

  test('bad input is named: a missing or corrupt model, an image the val_map lists but is not there', async () => {
    const { s } = await benchmarkSandbox();
    const missing = await s.bin(
      'cmr',
      `${RUN},_performance-only`,
      ...COMMON,
      '--quiet',
      '--model_path=nope.onnx',
      '--imagenet_path=imgs',
    );
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stderr,
      new RegExp(`the model file ${join(s.dir, 'nope.onnx')} does not exist`),
    );
    writeFileSync(join(s.dir, 'bad.onnx'), 'not a model');
    const corrupt = await s.bin(
      'cmr',
      `${RUN},_performance-only`,
      ...COMMON,
      '--quiet',
      '--model_path=bad.onnx',
      '--imagenet_path=imgs',
    );
    assert.notEqual(corrupt.code, 0);
    assert.match(
      corrupt.stderr,
      new RegExp(`onnxruntime cannot load the model ${join(s.dir, 'bad.onnx')}`),
    );
    const other = sandbox('cm-mlperf-bad-');
    await writeSyntheticImages({ dir: join(other.dir, 'imgs'), count: 2 });
    writeFileSync(
      join(other.dir, 'imgs', 'val_map.txt'),
      'ILSVRC2012_val_00000001.JPEG 1\nILSVRC2012_val_00000099.JPEG 2\n',
    );
    writeFileSync(join(other.dir, 'tiny.onnx'), tinyResnet50Onnx());
    const gone = await other.bin(
      'cmr',
      `${RUN},_performance-only`,
      ...COMMON,
      '--quiet',
      '--model_path=tiny.onnx',
      '--imagenet_path=imgs',
    );
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, new RegExp(join(other.dir, 'imgs', 'ILSVRC2012_val_00000099.JPEG')));
    const impl = await s.bin('cmr', RUN, '--implementation=nvidia', '--quiet');
    assert.notEqual(impl.code, 0);
    assert.match(impl.stderr, /--implementation=nvidia is not available here/);
  });
});
