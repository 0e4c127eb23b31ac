// generate-mlperf-inference-user-conf: the run folder, its user.conf (src/mlperf/pipeline/
// user-conf.ts) and mlperf.conf, and whether a valid run is already there.
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { mlperfConfText } from '../../../dist/mlperf/loadgen/index.js';
import { hasValidRun, hwNameOf, sutName } from '../../../dist/mlperf/pipeline/run-files.js';
import { generateUserConf } from '../../../dist/mlperf/pipeline/user-conf.js';
import { onnxruntimeVersion } from '../../../dist/mlperf/pipeline/backend.js';
import { resultsRunDir, resultsScenarioDir } from '../../../dist/mlperf/submission/results-tree.js';
import { auditConfigText, COMPLIANCE_TESTS, SERVER_COMPLIANCE_FACTOR } from '../../../dist/mlperf/compliance/audit-config.js';
import { complianceRunDir } from '../../../dist/mlperf/compliance/compliance-run.js';

const SCENARIOS = ['SingleStream', 'MultiStream', 'Server', 'Offline'];
const STYLES = ['test', 'fast', 'valid'];
const MODES = ['performance', 'accuracy', 'compliance'];
const yes = (v) => /^(yes|on|true|1)$/i.test(String(v ?? ''));

/** A number from env, or undefined when not given; an error naming the key when not a number. */
function numberOf(env, key) {
  const v = env[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${key} must be a number (found "${v}")`);
  return n;
}

function choice(value, allowed, flag) {
  const hit = allowed.find((a) => a.toLowerCase() === String(value).toLowerCase());
  if (hit === undefined) throw new Error(`--${flag}=${value} is not one of ${allowed.join(', ')}`);
  return hit;
}

/** The scenario's own target (--offline_target_qps ...) wins over the generic one. */
function targetOf(env, scenario) {
  const own = {
    Offline: 'CM_MLPERF_LOADGEN_OFFLINE_TARGET_QPS',
    Server: 'CM_MLPERF_LOADGEN_SERVER_TARGET_QPS',
    SingleStream: 'CM_MLPERF_LOADGEN_SINGLESTREAM_TARGET_LATENCY',
    MultiStream: 'CM_MLPERF_LOADGEN_MULTISTREAM_TARGET_LATENCY',
  }[scenario];
  const generic = scenario === 'Offline' || scenario === 'Server' ? 'CM_MLPERF_LOADGEN_TARGET_QPS' : 'CM_MLPERF_LOADGEN_TARGET_LATENCY';
  return numberOf(env, own) ?? numberOf(env, generic);
}

export async function preprocess(i) {
  const env = i.env;
  try {
    const scenario = choice(env.CM_MLPERF_LOADGEN_SCENARIO, SCENARIOS, 'scenario');
    const style = choice(env.CM_MLPERF_RUN_STYLE, STYLES, 'execution_mode');
    const mode = choice(env.CM_MLPERF_LOADGEN_MODE, MODES, 'mode');
    const model = env.CM_MODEL || env.CM_MLPERF_MODEL || 'resnet50';
    if (model !== 'resnet50') throw new Error(`--model=${model}: only resnet50 has a TypeScript implementation`);
    const test = mode === 'compliance' ? choice(env.CM_MLPERF_LOADGEN_COMPLIANCE_TEST || 'TEST01', COMPLIANCE_TESTS, 'compliance_test') : undefined;
    let target = targetOf(env, scenario);
    // CM lowers the Server target of a valid compliance run, so that it passes as the run did.
    if (test && style === 'valid' && scenario === 'Server' && target !== undefined) target *= SERVER_COMPLIANCE_FACTOR[test];
    const conf = generateUserConf({
      model,
      scenario,
      style,
      target,
      testQueryCount: numberOf(env, 'CM_TEST_QUERY_COUNT'),
      minQueryCount: numberOf(env, 'CM_MLPERF_INFERENCE_MIN_QUERY_COUNT'),
      maxQueryCount: numberOf(env, 'CM_MLPERF_INFERENCE_MAX_QUERY_COUNT'),
      testQps: numberOf(env, 'CM_MLPERF_INFERENCE_TEST_QPS'),
      performanceSampleCount: numberOf(env, 'CM_MLPERF_PERFORMANCE_SAMPLE_COUNT'),
      useMaxDuration: env.CM_MLPERF_USE_MAX_DURATION === undefined ? undefined : yes(env.CM_MLPERF_USE_MAX_DURATION),
    });
    env.CM_HW_NAME ||= hwNameOf(hostname());
    env.CM_MLPERF_BACKEND_VERSION ||= onnxruntimeVersion();
    env.CM_SUT_NAME ||= sutName({
      hwName: env.CM_HW_NAME,
      implementation: env.CM_MLPERF_IMPLEMENTATION,
      device: env.CM_MLPERF_DEVICE,
      backend: env.CM_MLPERF_BACKEND,
      backendVersion: env.CM_MLPERF_BACKEND_VERSION,
    });
    const base = resolve(env.CM_TMP_CURRENT_PATH || '.', env.OUTPUT_BASE_DIR || '.');
    env.OUTPUT_BASE_DIR = base;
    const where = { outputBase: base, style, sut: env.CM_SUT_NAME, model, scenario };
    const scenarioDir = resultsScenarioDir(where);
    const runDir = test ? complianceRunDir(scenarioDir, test) : resultsRunDir({ ...where, mode });
    mkdirSync(runDir, { recursive: true });
    if (test) {
      writeFileSync(join(runDir, 'audit.config'), auditConfigText(test, scenario));
      env.CM_MLPERF_INFERENCE_AUDIT_PATH = join(runDir, 'audit.config');
      env.CM_MLPERF_LOADGEN_COMPLIANCE_TEST = test;
    } else delete env.CM_MLPERF_INFERENCE_AUDIT_PATH;
    env.CM_MLPERF_SCENARIO_RESULTS_DIR = scenarioDir;
    writeFileSync(join(runDir, 'user.conf'), conf.text);
    writeFileSync(join(runDir, 'mlperf.conf'), mlperfConfText());
    env.CM_MLPERF_USER_CONF = join(runDir, 'user.conf');
    env.CM_MLPERF_CONF = join(runDir, 'mlperf.conf');
    env.CM_MLPERF_OUTPUT_DIR = runDir;
    env.CM_LOGS_DIR = runDir;
    env.CM_MLPERF_INFERENCE_RESULTS_SUT_PATH = join(base, `${style}_results`, env.CM_SUT_NAME);
    env.CM_MLPERF_LOADGEN_SCENARIO = scenario;
    env.CM_MLPERF_LOADGEN_MODE = mode;
    env.CM_MLPERF_RUN_STYLE = style;
    if (mode === 'accuracy') env.CM_MLPERF_ACCURACY_RESULTS_DIR = runDir;
    else delete env.CM_MLPERF_ACCURACY_RESULTS_DIR;
    // A test run infers as many samples as it issues queries (accuracy included), as the catalog.
    if (!env.CM_MLPERF_LOADGEN_QUERY_COUNT && conf.queryCount !== undefined && (mode !== 'accuracy' || style !== 'valid'))
      env.CM_MLPERF_LOADGEN_QUERY_COUNT = String(conf.queryCount);
    if (conf.queryCount !== undefined) env.CM_MAX_EXAMPLES = String(conf.queryCount);
    const done = !yes(env.CM_RERUN) && (await hasValidRun(runDir, mode === 'accuracy' ? 'accuracy' : 'performance'));
    env.CM_MLPERF_SKIP_RUN = done ? 'yes' : 'no';
    i.automation.cmind.logger.info(`${done ? 'Valid results already in' : 'Output Dir:'} '${runDir}'${done ? ' (--rerun runs again)' : ''}`);
    return { return: 0 };
  } catch (e) {
    return { return: 1, error: e instanceof Error ? e.message : String(e) };
  }
}
