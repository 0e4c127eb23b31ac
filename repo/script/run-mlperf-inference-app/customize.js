// run-mlperf-inference-app: each scenario × mode through app-mlperf-inference, then (with
// _submission) the submission folder and its check; the key results of every run are collected.
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { requiredScenarios } from '../../../dist/mlperf/submission/submission-checker.js';

const SCENARIOS = ['SingleStream', 'MultiStream', 'Server', 'Offline'];
const IMPLEMENTATIONS = ['typescript', 'reference'];
const yes = (v) => /^(yes|on|true|1)$/i.test(String(v ?? ''));

function scenariosOf(env) {
  // The scenarios the checker will ask this system type for (spec §6.7).
  if (yes(env.CM_MLPERF_LOADGEN_ALL_SCENARIOS)) return requiredScenarios(env.CM_MLPERF_SUBMISSION_SYSTEM_TYPE || 'edge');
  const list = String(env.CM_MLPERF_LOADGEN_SCENARIOS || env.CM_MLPERF_LOADGEN_SCENARIO).split(',').map((s) => s.trim()).filter(Boolean);
  return list.map((s) => {
    const hit = SCENARIOS.find((x) => x.toLowerCase() === s.toLowerCase());
    if (!hit) throw new Error(`--scenario=${s} is not one of ${SCENARIOS.join(', ')}`);
    return hit;
  });
}

/** The compliance tests to run after a scenario's runs: closed division, compliance asked. */
function complianceTestsOf(env) {
  return yes(env.CM_MLPERF_LOADGEN_COMPLIANCE) && env.CM_MLPERF_SUBMISSION_DIVISION === 'closed' ? ['TEST01', 'TEST04'] : [];
}

function modesOf(i) {
  const env = i.env;
  if (i.input.mode !== undefined) return [String(i.input.mode)];
  return String(env.CM_MLPERF_LOADGEN_MODES || 'performance,accuracy').split(',');
}

/** Runs one script through the API; throws its error (with its hint) when it fails. */
async function runScript(i, tags, env, extra = {}) {
  const r = await i.automation.cmind.access({ action: 'run', automation: 'script', tags, env, quiet: true, ...extra });
  if (r.return > 0) {
    const e = new Error(r.error);
    e.hint = r.hint;
    e.code = r.return;
    throw e;
  }
  return r;
}

async function runAll(i) {
  const env = i.env;
  const log = i.automation.cmind.logger;
  const impl = env.CM_MLPERF_IMPLEMENTATION;
  if (!IMPLEMENTATIONS.includes(impl)) throw new Error(`--implementation=${impl} is not available here (only typescript)`);
  if (env.CM_MLPERF_MODEL !== 'resnet50') throw new Error(`--model=${env.CM_MLPERF_MODEL} is not available here (only resnet50)`);
  const adr = yes(env.CM_MLPERF_DATASET_FULL) ? { 'imagenet-preprocessed': { tags: '_full' } } : undefined;
  const runs = {};
  let sutPath;
  for (const scenario of scenariosOf(env)) {
    const planned = [...modesOf(i).map((mode) => ({ mode, key: mode })), ...complianceTestsOf(env).map((t) => ({ mode: 'compliance', key: t, test: t }))];
    for (const { mode, key, test } of planned) {
      log.info(`MLPerf inference: ${env.CM_MLPERF_MODEL} ${scenario} ${key} (${env.CM_MLPERF_RUN_STYLE} run)`);
      const runEnv = { ...env, CM_MODEL: env.CM_MLPERF_MODEL, CM_MLPERF_LOADGEN_SCENARIO: scenario, CM_MLPERF_LOADGEN_MODE: mode, ...(test ? { CM_MLPERF_LOADGEN_COMPLIANCE_TEST: test } : {}) };
      const tags = `app,mlperf,inference,generic,_${impl},_${env.CM_MLPERF_MODEL},_${env.CM_MLPERF_BACKEND},_${env.CM_MLPERF_DEVICE},_${scenario.toLowerCase()}`;
      const r = await runScript(i, tags, runEnv, adr ? { adr } : {});
      const run = r.new_state?.mlperf_inference_run;
      if (run) (runs[scenario] ??= {})[key] = run;
      sutPath = r.new_env?.CM_MLPERF_INFERENCE_RESULTS_SUT_PATH ?? sutPath;
    }
  }
  return { runs, sutPath };
}

async function submit(i, sutPath) {
  const env = i.env;
  const r = await runScript(i, 'generate,mlperf,inference,submission', { ...env, CM_MLPERF_INFERENCE_RESULTS_DIR_: dirname(sutPath) });
  const submissionDir = r.new_env?.CM_MLPERF_INFERENCE_SUBMISSION_DIR;
  env.CM_MLPERF_INFERENCE_SUBMISSION_DIR = submissionDir;
  if (env.CM_RUN_SUBMISSION_CHECKER !== 'no' && !yes(env.CM_MLPERF_SKIP_SUBMISSION_CHECKER))
    await runScript(i, 'run,mlperf,inference,submission,checker', { ...env, CM_MLPERF_INFERENCE_SUBMISSION_DIR: submissionDir });
  return submissionDir;
}

/** Paths given on the command line are relative to the folder cm was started in. */
function absolutePaths(i) {
  const env = i.env;
  for (const key of ['CM_IMAGENET_PATH', 'CM_ML_MODEL_FILE_WITH_PATH', 'OUTPUT_BASE_DIR', 'CM_MLPERF_INFERENCE_SUBMISSION_DIR']) {
    if (!env[key]) continue;
    env[key] = resolve(env.CM_TMP_CURRENT_PATH || '.', String(env[key]));
    if (i.const && i.const[key] !== undefined) i.const[key] = env[key];
  }
}

export async function preprocess(i) {
  const env = i.env;
  try {
    absolutePaths(i);
    const { runs, sutPath } = await runAll(i);
    let submission;
    if (yes(env.CM_MLPERF_SUBMISSION_GENERATE) && !yes(env.CM_MLPERF_SKIP_SUBMISSION_GENERATION) && sutPath) submission = await submit(i, sutPath);
    const results = { model: env.CM_MLPERF_MODEL, implementation: env.CM_MLPERF_IMPLEMENTATION, style: env.CM_MLPERF_RUN_STYLE, runs, ...(submission ? { submission_dir: submission } : {}) };
    i.state.mlperf_inference = results;
    // `cme` records what its step's command leaves in cm-output.json (--repro writes its own, with this state).
    if (!i.input.repro) writeFileSync(join(env.CM_TMP_CURRENT_PATH || '.', 'cm-output.json'), `${JSON.stringify(results, null, 2)}\n`);
    return { return: 0 };
  } catch (e) {
    return { return: typeof e.code === 'number' ? e.code : 1, error: e.message, ...(e.hint ? { hint: e.hint } : {}) };
  }
}
