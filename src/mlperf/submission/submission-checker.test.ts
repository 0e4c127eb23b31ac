import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROUND_SEEDS } from '../loadgen/settings/mlperf-conf.js';
import { generateSubmission } from './submission.js';
import { checkSubmission } from './submission-checker.js';
import { resultsRunDir, type RunMode } from './results-tree.js';
import type { SubmissionScenario } from './result-rules.js';

const SEEDS = ROUND_SEEDS['v6.1'];
type Line = [key: string, rawValue: string, isError?: boolean];

function mllog(lines: Line[]): string {
  return lines
    .map(([key, value, isError = false], i) => {
      const meta = `{"is_error": ${isError}, "is_warning": false, "file": "t.cc", "line_no": ${i}, "pid": 1, "tid": 1}`;
      return `:::MLLOG {"key": "${key}", "value": ${value}, "time_ms": 0.000001, "namespace": "mlperf::logging", "event_type": "POINT_IN_TIME", "metadata": ${meta}}`;
    })
    .join('\n')
    .concat('\n');
}

function perfLog(scenario: SubmissionScenario, override: Record<string, string> = {}): string {
  const values: Record<string, string> = {
    effective_scenario: `"${scenario}"`,
    effective_samples_per_query:
      scenario === 'Offline' ? '24576' : scenario === 'MultiStream' ? '8' : '1',
    effective_target_latency_ns: '0',
    effective_min_duration_ms: '600000',
    effective_qsl_rng_seed: String(SEEDS.qslRngSeed),
    effective_sample_index_rng_seed: String(SEEDS.sampleIndexRngSeed),
    effective_schedule_rng_seed: String(SEEDS.scheduleRngSeed),
    effective_performance_sample_count: '1024',
    result_validity: '"VALID"',
    early_stopping_met: 'true',
    num_errors: '0',
    ...override,
  };
  return mllog([
    ['loadgen_version', '"6.0.17 @ x"'],
    ...Object.entries(values).map(([k, v]): Line => [k, v]),
  ]);
}

const ACC_DETAIL = mllog([
  ['loadgen_version', '"6.0.17 @ x"'],
  ['effective_accuracy_sample_count', '50000'],
]);

function accuracyLog(entries: number): string {
  const body = Array.from(
    { length: entries },
    (_, i) => `{ "seq_id" : ${i}, "qsl_idx" : ${i}, "data" : "0000E041" }`,
  );
  return `[\n${body.join(',\n')}\n]\n`;
}

async function put(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
}

const HOST = {
  host_processor_model_name: 'Test CPU',
  host_processors_per_node: '1',
  host_processor_core_count: '2',
  host_processor_frequency: '3000 MHz',
  host_processor_caches: 'L2 1 MiB',
  host_memory_capacity: '8G',
  host_memory_configuration: 'undefined',
  host_storage_capacity: '100G',
  framework: 'onnxruntime v1.17',
  operating_system: 'Ubuntu 22.04',
  other_software_stack: 'Node 22',
};

/** A CM results tree with SS/MS/Offline runs of resnet50 in every mode, then the submission. */
async function generatedSubmission(): Promise<string> {
  const base = await mkdtemp(join(tmpdir(), 'submission-'));
  const sut = 'testhost-reference-cpu-onnxruntime-v1.17-default_config';
  const sutDir = join(base, 'valid_results', sut);
  await put(
    join(sutDir, 'cm-sut-info.json'),
    JSON.stringify({
      system_name: 'testhost',
      implementation: 'reference',
      device: 'cpu',
      framework: 'onnxruntime-v1.17',
      run_config: 'default_config',
    }),
  );
  for (const scenario of ['SingleStream', 'MultiStream', 'Offline'] as const) {
    const dir = (mode: RunMode): string =>
      resultsRunDir({ outputBase: base, style: 'valid', sut, model: 'resnet50', scenario, mode });
    const perf = dir('performance');
    await put(join(perf, 'mlperf_log_detail.txt'), perfLog(scenario));
    await put(join(perf, 'mlperf_log_summary.txt'), 'Result is : VALID\n');
    await put(join(perf, 'mlperf_log_accuracy.json'), '[\n]\n');
    await put(join(perf, 'mlperf_log_trace.json'), '{}');
    await put(join(perf, 'user.conf'), `resnet50.${scenario}.target_latency = 2\n`);
    await put(join(perf, 'README.md'), '# run\n');
    await put(
      join(perf, 'measurements.json'),
      JSON.stringify({
        starting_weights_filename: 'https://zenodo.org/record/4735647/files/resnet50_v1.onnx',
        retraining: 'no',
        input_data_types: 'fp32',
        weight_data_types: 'fp32',
        weight_transformations: 'no',
      }),
    );
    const acc = dir('accuracy');
    await put(join(acc, 'mlperf_log_detail.txt'), ACC_DETAIL);
    await put(join(acc, 'mlperf_log_summary.txt'), '\nNo warnings encountered during test.\n');
    await put(join(acc, 'mlperf_log_accuracy.json'), accuracyLog(500));
    await put(join(acc, 'accuracy.txt'), 'accuracy=76.200%, good=381, total=500\n');
    for (const t of ['TEST01', 'TEST04'] as const) {
      await put(join(dir(t), 'verify_performance.txt'), 'TEST PASS\n');
      await put(join(dir(t), 'performance', 'run_1', 'mlperf_log_detail.txt'), perfLog(scenario));
      await put(
        join(dir(t), 'performance', 'run_1', 'mlperf_log_summary.txt'),
        'Result is : VALID\n',
      );
    }
    await put(join(dir('TEST01'), 'verify_accuracy.txt'), 'TEST PASS\n');
  }
  return generateSubmission({
    resultsSutDir: sutDir,
    submissionRoot: join(base, 'out'),
    division: 'closed',
    submitter: 'TestOrg',
    system: HOST,
  });
}

test('a submission generated for SingleStream, MultiStream and Offline passes the check', async () => {
  const out = await generatedSubmission();
  const result = await checkSubmission({ submissionDir: out, seeds: SEEDS });
  assert.deepEqual(result.problems, []);
  assert.equal(result.isPassing, true);
  const system = 'testhost-reference-cpu-onnxruntime-v1.17-default_config';
  const acc = join(out, 'results', system, 'resnet50', 'Offline', 'accuracy');
  assert.equal((await stat(join(acc, 'mlperf_log_accuracy.json'))).size, 8199);
  assert.match(
    await readFile(join(acc, 'accuracy.txt'), 'utf8'),
    /^accuracy=76\.200%, good=381, total=500\nhash=[0-9a-f]{64}\n$/,
  );
  await stat(join(out, 'systems', `${system}.json`));
  await stat(join(out, 'src', 'README.md'));
  await assert.rejects(
    stat(join(out, 'results', system, 'resnet50', 'Offline', 'TEST01', 'mlperf_log_trace.json')),
  );
});

test('a submission checked against another round fails on each of the three seeds', async () => {
  const out = await generatedSubmission();
  const result = await checkSubmission({ submissionDir: out, seeds: ROUND_SEEDS['v6.0'] });
  assert.equal(result.isPassing, false);
  assert.equal(result.problems.length, 9);
  assert.ok(
    result.problems.every((p) =>
      /effective_\w+_rng_seed is \d+, the round's is \d+/.test(p.message),
    ),
  );
});

const SYSTEM = 'testhost-reference-cpu-onnxruntime-v1.17-default_config';
const SS = join('results', SYSTEM, 'resnet50', 'SingleStream');
const OFF = join('results', SYSTEM, 'resnet50', 'Offline');
type Breakage = [
  name: string,
  file: string,
  edit: (path: string) => Promise<void>,
  message: RegExp,
];
const replace = (text: string) => async (path: string) => writeFile(path, text);
const remove = async (path: string): Promise<void> => rm(path, { recursive: true });
const jsonEdit = (edit: (o: Record<string, unknown>) => void) => async (path: string) => {
  const o = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  edit(o);
  await writeFile(path, JSON.stringify(o));
};
const BREAKAGES: Breakage[] = [
  ['a missing src folder', 'src', remove, /^missing$/],
  ['a missing user.conf', join(SS, 'user.conf'), remove, /^missing$/],
  [
    'a missing performance detail log',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    remove,
    /^missing$/,
  ],
  [
    'a missing MultiStream result',
    join('results', SYSTEM, 'resnet50', 'MultiStream'),
    remove,
    /missing: edge systems must submit MultiStream/,
  ],
  [
    'a first line without the marker',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    async (p) => writeFile(p, `garbage\n${await readFile(p, 'utf8')}`),
    /first line does not start with ':::MLLOG'/,
  ],
  [
    'a marker line that is not JSON',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    async (p) => writeFile(p, `${await readFile(p, 'utf8')}:::MLLOG {"key": \n`),
    /line 13: marker line is not valid JSON/,
  ],
  [
    'a short min duration',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    replace(perfLog('SingleStream', { effective_min_duration_ms: '599999' })),
    /effective_min_duration_ms is 599999, must be ≥ 600000/,
  ],
  [
    'a small performance sample count',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    replace(perfLog('SingleStream', { effective_performance_sample_count: '500' })),
    /effective_performance_sample_count is 500, must be ≥ 1024/,
  ],
  [
    'a small Offline query',
    join(OFF, 'performance/run_1/mlperf_log_detail.txt'),
    replace(perfLog('Offline', { effective_samples_per_query: '100' })),
    /effective_samples_per_query is 100, must be ≥ 24576/,
  ],
  [
    'early stopping not met',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    replace(perfLog('SingleStream', { early_stopping_met: 'false' })),
    /early_stopping_met is not true/,
  ],
  [
    'an INVALID result',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    replace(perfLog('SingleStream', { result_validity: '"INVALID"' })),
    /result_validity is 'INVALID', expected 'VALID'/,
  ],
  [
    'a logged error',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    async (p) =>
      writeFile(p, `${await readFile(p, 'utf8')}${mllog([['error_runtime', '"boom"', true]])}`),
    /LoadGen error 'error_runtime': "boom"/,
  ],
  [
    'num_errors not zero',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    replace(perfLog('SingleStream', { num_errors: '2' })),
    /num_errors is 2, expected 0/,
  ],
  [
    'a wrong seed',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    replace(perfLog('SingleStream', { effective_schedule_rng_seed: '16159082839903944935' })),
    /effective_schedule_rng_seed is 16159082839903944935, the round's is 16159082839903944936/,
  ],
  [
    'a scenario mismatch',
    join(SS, 'performance/run_1/mlperf_log_detail.txt'),
    replace(perfLog('Offline')),
    /effective_scenario is 'Offline', expected 'SingleStream'/,
  ],
  [
    'no hash line',
    join(SS, 'accuracy/accuracy.txt'),
    replace('accuracy=76.200%, good=381, total=500\n'),
    /no 'hash=' line/,
  ],
  [
    'a low accuracy',
    join(SS, 'accuracy/accuracy.txt'),
    replace('accuracy=75.000%, good=375, total=500\nhash=ab\n'),
    /accuracy 75\.000 is below the target 75\.69/,
  ],
  [
    'an untruncated accuracy log',
    join(SS, 'accuracy/mlperf_log_accuracy.json'),
    replace(accuracyLog(300)),
    /bytes, a truncated accuracy log must be ≤ 10240/,
  ],
  [
    'an accuracy run over too few samples',
    join(SS, 'accuracy/mlperf_log_detail.txt'),
    replace(mllog([['effective_accuracy_sample_count', '500']])),
    /effective_accuracy_sample_count is 500, the accuracy run must cover 50000 samples/,
  ],
  [
    'a failed TEST04',
    join(SS, 'TEST04/verify_performance.txt'),
    replace('TEST FAIL\n'),
    /no 'TEST PASS'/,
  ],
  [
    'a measurements.json without retraining',
    join(SS, 'measurements.json'),
    jsonEdit((o) => delete o.retraining),
    /field 'retraining' is missing/,
  ],
  [
    'a system without cooling',
    join('systems', `${SYSTEM}.json`),
    jsonEdit((o) => delete o.cooling),
    /field 'cooling' is missing/,
  ],
  [
    'a system with an empty framework',
    join('systems', `${SYSTEM}.json`),
    jsonEdit((o) => (o.framework = '')),
    /field 'framework' is empty/,
  ],
  [
    'a system of another submitter',
    join('systems', `${SYSTEM}.json`),
    jsonEdit((o) => (o.submitter = 'Other')),
    /submitter 'Other' differs from the folder 'TestOrg'/,
  ],
  [
    'a system with a bad status',
    join('systems', `${SYSTEM}.json`),
    jsonEdit((o) => (o.status = 'soon')),
    /status 'soon' is not one of/,
  ],
];

test("a TEST01 without 'TEST PASS' passes on its second chance only when both accuracies agree within 1 %", async () => {
  const good = await generatedSubmission();
  const outcome = async (baseline: string | undefined, compliance: string): Promise<string[]> => {
    const copy = join(await mkdtemp(join(tmpdir(), 'nondet-')), 'closed', 'TestOrg');
    await cp(good, copy, { recursive: true });
    const test01 = join(copy, SS, 'TEST01');
    await writeFile(join(test01, 'verify_accuracy.txt'), 'TEST FAIL\n');
    await mkdir(join(test01, 'accuracy'), { recursive: true });
    if (baseline !== undefined)
      await writeFile(join(test01, 'accuracy', 'baseline_accuracy.txt'), baseline);
    await writeFile(join(test01, 'accuracy', 'compliance_accuracy.txt'), compliance);
    await writeFile(join(test01, 'accuracy', 'accuracy.txt'), compliance);
    const result = await checkSubmission({ submissionDir: copy, seeds: SEEDS });
    return result.problems.map((p) => `${p.path.slice(copy.length + 1)}: ${p.message}`);
  };
  const line = (x: string): string => `accuracy=${x}%, good=1, total=1\n`;
  assert.deepEqual(await outcome(line('76.000'), line('76.700')), []);
  assert.deepEqual(await outcome(line('75.000'), line('76.700')), [
    `${join(SS, 'TEST01', 'verify_accuracy.txt')}: no 'TEST PASS', and the non-deterministic check failed: baseline 75% vs compliance 76.7% (delta 2.216% > 1%)`,
  ]);
  const missing = await outcome(undefined, line('76.700'));
  assert.match(
    missing[0]!,
    /verify_accuracy\.txt: no 'TEST PASS', and the non-deterministic check lacks its files/,
  );
  assert.match(missing[1]!, /baseline_accuracy\.txt: missing/);
});

test('each broken copy of a passing submission fails naming the path and the rule', async () => {
  const good = await generatedSubmission();
  for (const [name, file, edit, message] of BREAKAGES) {
    const copy = join(await mkdtemp(join(tmpdir(), 'broken-')), 'closed', 'TestOrg');
    await cp(good, copy, { recursive: true });
    await edit(join(copy, file));
    const result = await checkSubmission({ submissionDir: copy, seeds: SEEDS });
    assert.equal(result.isPassing, false, name);
    const hit = result.problems.find((p) => message.test(p.message));
    assert.ok(hit, `${name}: ${JSON.stringify(result.problems)}`);
    assert.ok(hit.path.startsWith(copy), name);
    if (!file.startsWith('src') && !file.includes('MultiStream'))
      assert.ok(hit.path.includes(file.split('/')[0] ?? ''), name);
  }
});
