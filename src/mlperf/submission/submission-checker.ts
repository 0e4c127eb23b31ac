// Structural check of a v6.0+ submission folder `<division>/<submitter>` (spec §6.7): walks the
// tree, reads every file the checker needs and collects all problems instead of stopping at one.

import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { RoundSeeds } from '../loadgen/settings/mlperf-conf.js';
import { accuracyDelta } from '../compliance/accuracy-delta.js';
import { parseMllog, type SubmissionProblem } from './mllog.js';
import {
  checkAccuracyRun,
  checkPerformanceLog,
  RESNET50_LIMITS,
  type ResultLimits,
  type SubmissionScenario,
} from './result-rules.js';
import { checkSystemJson } from './system-json.js';

export interface CheckSubmissionOptions {
  /** The `<division>/<submitter>` folder. */
  submissionDir: string;
  /** The round's seeds the performance logs must show. */
  seeds: RoundSeeds;
  limits?: ResultLimits;
}

export interface SubmissionCheck {
  problems: SubmissionProblem[];
  isPassing: boolean;
}

const SCENARIOS: readonly SubmissionScenario[] = [
  'SingleStream',
  'MultiStream',
  'Server',
  'Offline',
];
const MEASUREMENTS_FIELDS = [
  'starting_weights_filename',
  'retraining',
  'input_data_types',
  'weight_data_types',
  'weight_transformations',
];

async function subdirs(path: string): Promise<string[]> {
  const items = await readdir(path, { withFileTypes: true }).catch(() => []);
  return items
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

async function readOr(path: string, problems: SubmissionProblem[]): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    problems.push({ path, message: 'missing' });
    return undefined;
  }
}

function parseJson(text: string, path: string, problems: SubmissionProblem[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    problems.push({ path, message: 'not valid JSON' });
    return undefined;
  }
}

/** Scenarios a system must submit for resnet50 in v6.x, by its system_type. */
export function requiredScenarios(systemType: string): SubmissionScenario[] {
  const types = systemType.toLowerCase().replaceAll(' ', '').split(',');
  return types.includes('datacenter') ? [...SCENARIOS] : ['SingleStream', 'MultiStream', 'Offline'];
}

async function checkPerformance(
  dir: string,
  scenario: SubmissionScenario,
  ctx: Ctx,
): Promise<void> {
  const runDir = join(dir, 'performance', 'run_1');
  await readOr(join(runDir, 'mlperf_log_summary.txt'), ctx.problems);
  const detailPath = join(runDir, 'mlperf_log_detail.txt');
  const detail = await readOr(detailPath, ctx.problems);
  if (detail === undefined) return;
  const where = { path: detailPath, scenario, seeds: ctx.seeds, division: ctx.division };
  ctx.problems.push(...checkPerformanceLog(parseMllog(detail, detailPath), where, ctx.limits));
}

async function checkAccuracy(dir: string, ctx: Ctx): Promise<void> {
  const accDir = join(dir, 'accuracy');
  await readOr(join(accDir, 'mlperf_log_summary.txt'), ctx.problems);
  const detailPath = join(accDir, 'mlperf_log_detail.txt');
  const txtPath = join(accDir, 'accuracy.txt');
  const logPath = join(accDir, 'mlperf_log_accuracy.json');
  const detail = await readOr(detailPath, ctx.problems);
  const accuracyTxt = await readOr(txtPath, ctx.problems);
  const logSize = await stat(logPath).then(
    (s) => s.size,
    () => undefined,
  );
  if (logSize === undefined) ctx.problems.push({ path: logPath, message: 'missing' });
  if (detail === undefined || accuracyTxt === undefined || logSize === undefined) return;
  const run = {
    detail: parseMllog(detail, detailPath),
    detailPath,
    accuracyTxt,
    txtPath,
    logSize,
    logPath,
  };
  ctx.problems.push(...checkAccuracyRun(run, ctx.limits));
}

/**
 * TEST01 without 'TEST PASS' (the SUT's responses differ between runs): the checker's
 * non-deterministic mode, baseline_accuracy.txt against compliance_accuracy.txt within 1 %.
 */
async function nonDeterministicProblems(
  accuracyDir: string,
  verifyPath: string,
  model: string,
): Promise<SubmissionProblem[]> {
  const problems: SubmissionProblem[] = [];
  const [baseline, compliance] = await Promise.all(
    ['baseline_accuracy.txt', 'compliance_accuracy.txt', 'accuracy.txt'].map((f) =>
      readOr(join(accuracyDir, f), problems),
    ),
  );
  if (baseline === undefined || compliance === undefined) {
    problems.unshift({
      path: verifyPath,
      message: "no 'TEST PASS', and the non-deterministic check lacks its files",
    });
    return problems;
  }
  const d = accuracyDelta(baseline, compliance, model);
  if (!d.isPassing)
    problems.push({
      path: verifyPath,
      message: `no 'TEST PASS', and the non-deterministic check failed: baseline ${d.baseline}% vs compliance ${d.compliance}% (delta ${Number.isFinite(d.deltaPercent) ? d.deltaPercent.toFixed(3) : 'undefined'}% > ${d.tolerance}%)`,
    });
  return problems;
}

async function checkCompliance(dir: string, ctx: Ctx): Promise<void> {
  const tests: Array<[string, string[]]> = [
    ['TEST01', ['verify_accuracy.txt', 'verify_performance.txt']],
    ['TEST04', ['verify_performance.txt']],
  ];
  for (const [name, verifyFiles] of tests) {
    for (const file of verifyFiles) {
      const path = join(dir, name, file);
      const text = await readOr(path, ctx.problems);
      if (text === undefined || text.includes('TEST PASS')) continue;
      if (name === 'TEST01' && file === 'verify_accuracy.txt')
        ctx.problems.push(
          ...(await nonDeterministicProblems(
            join(dir, name, 'accuracy'),
            path,
            basename(dirname(dir)),
          )),
        );
      else ctx.problems.push({ path, message: "no 'TEST PASS'" });
    }
    for (const file of ['mlperf_log_summary.txt', 'mlperf_log_detail.txt']) {
      await readOr(join(dir, name, 'performance', 'run_1', file), ctx.problems);
    }
  }
}

async function checkScenarioDir(
  dir: string,
  scenario: SubmissionScenario,
  ctx: Ctx,
): Promise<void> {
  await readOr(join(dir, 'user.conf'), ctx.problems);
  await readOr(join(dir, 'README.md'), ctx.problems);
  const measurementsPath = join(dir, 'measurements.json');
  const measurementsText = await readOr(measurementsPath, ctx.problems);
  if (measurementsText !== undefined) {
    const m = parseJson(measurementsText, measurementsPath, ctx.problems);
    for (const field of MEASUREMENTS_FIELDS) {
      if (m !== undefined && (typeof m !== 'object' || m === null || !(field in m))) {
        ctx.problems.push({ path: measurementsPath, message: `field '${field}' is missing` });
      }
    }
  }
  await checkPerformance(dir, scenario, ctx);
  await checkAccuracy(dir, ctx);
  if (ctx.division === 'closed') await checkCompliance(dir, ctx);
}

interface Ctx {
  problems: SubmissionProblem[];
  seeds: RoundSeeds;
  division: string;
  limits: ResultLimits;
}

async function checkSystem(
  submissionDir: string,
  system: string,
  ctx: Ctx,
  submitter: string,
): Promise<void> {
  const systemPath = join(submissionDir, 'systems', `${system}.json`);
  const text = await readOr(systemPath, ctx.problems);
  const json = text === undefined ? undefined : parseJson(text, systemPath, ctx.problems);
  if (json !== undefined)
    ctx.problems.push(
      ...checkSystemJson(json, { path: systemPath, submitter, division: ctx.division }),
    );
  const systemType = String((json as Record<string, unknown> | undefined)?.system_type ?? 'edge');
  const systemDir = join(submissionDir, 'results', system);
  for (const model of await subdirs(systemDir)) {
    const found = new Map((await subdirs(join(systemDir, model))).map((d) => [d.toLowerCase(), d]));
    for (const scenario of requiredScenarios(systemType)) {
      if (!found.has(scenario.toLowerCase())) {
        ctx.problems.push({
          path: join(systemDir, model, scenario),
          message: `missing: ${systemType} systems must submit ${scenario}`,
        });
      }
    }
    for (const [lower, folder] of found) {
      const scenario = SCENARIOS.find((s) => s.toLowerCase() === lower);
      if (scenario === undefined)
        ctx.problems.push({ path: join(systemDir, model, folder), message: 'not a scenario name' });
      else await checkScenarioDir(join(systemDir, model, folder), scenario, ctx);
    }
  }
}

/** Every problem of the submission folder, and whether there are none. */
export async function checkSubmission(options: CheckSubmissionOptions): Promise<SubmissionCheck> {
  const dir = options.submissionDir;
  const division = basename(dirname(dir));
  const ctx: Ctx = {
    problems: [],
    seeds: options.seeds,
    division,
    limits: options.limits ?? RESNET50_LIMITS,
  };
  if (division !== 'closed' && division !== 'open') {
    ctx.problems.push({
      path: dirname(dir),
      message: "division folder must be 'closed' or 'open'",
    });
  }
  if ((await subdirs(dir)).includes('src') === false)
    ctx.problems.push({ path: join(dir, 'src'), message: 'missing' });
  const systems = await subdirs(join(dir, 'results'));
  if (systems.length === 0)
    ctx.problems.push({ path: join(dir, 'results'), message: 'no system results' });
  for (const system of systems) await checkSystem(dir, system, ctx, basename(dir));
  return { problems: ctx.problems, isPassing: ctx.problems.length === 0 };
}
