// run-mlperf-inference-submission-checker: src/mlperf/submission/submission-checker.ts over every
// <division>/<submitter> folder, with a report file.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkSubmission } from '../../../dist/mlperf/submission/submission-checker.js';
import { ROUND_SEEDS } from '../../../dist/mlperf/loadgen/settings/mlperf-conf.js';

const subdirs = (dir) => readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

export async function preprocess(i) {
  const env = i.env;
  const given = env.CM_MLPERF_INFERENCE_SUBMISSION_DIR;
  if (!given) return { return: 1, error: 'no submission folder to check', hint: 'give --submission_dir=DIR (the folder holding open/ or closed/)' };
  const root = resolve(env.CM_TMP_CURRENT_PATH || '.', given);
  if (!existsSync(root)) return { return: 16, error: `the submission folder ${root} does not exist` };
  const round = `v${String(env.CM_MLPERF_INFERENCE_VERSION).replace(/^v/, '').replace(/-dev$/, '')}`;
  const seeds = ROUND_SEEDS[round];
  if (!seeds) return { return: 1, error: `--version=${env.CM_MLPERF_INFERENCE_VERSION}: no seeds known for round ${round}`, hint: `one of ${Object.keys(ROUND_SEEDS).join(', ')}` };
  const folders = ['closed', 'open'].filter((d) => existsSync(join(root, d))).flatMap((d) => subdirs(join(root, d)).map((s) => join(root, d, s)));
  if (folders.length === 0) return { return: 1, error: `${root} holds no closed/<submitter> or open/<submitter> folder` };
  const problems = [];
  for (const dir of folders) problems.push(...(await checkSubmission({ submissionDir: dir, seeds })).problems);
  const lines = problems.map((p) => `${relative(root, p.path) || '.'}: ${p.message}`);
  const report = join(root, 'submission-checker-report.txt');
  writeFileSync(report, lines.length === 0 ? 'No problems found.\n' : `${lines.join('\n')}\n`);
  env.CM_MLPERF_SUBMISSION_CHECKER_REPORT = report;
  env.CM_MLPERF_SUBMISSION_CHECKER_PROBLEMS = String(problems.length);
  const log = i.automation.cmind.logger;
  if (problems.length === 0) {
    log.info(`The submission in ${root} passes the checks (${folders.length} submitter folder(s))`);
    return { return: 0 };
  }
  const trial = ['test', 'fast'].includes(env.CM_MLPERF_RUN_STYLE);
  const shown = lines.slice(0, 20).map((l) => `  ${l}`).join('\n');
  const more = lines.length > 20 ? `\n  ... and ${lines.length - 20} more` : '';
  if (trial) {
    log.warning(`A ${env.CM_MLPERF_RUN_STYLE} run is not a valid submission: the checker found ${problems.length} problem(s) (all in ${report}):\n${shown}${more}`);
    return { return: 0 };
  }
  return { return: 1, error: `the submission in ${root} has ${problems.length} problem(s):\n${shown}${more}`, hint: `all of them are in ${report}` };
}
