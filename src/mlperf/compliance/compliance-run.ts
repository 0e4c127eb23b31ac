// A compliance run's folder as the submission wants it (spec loadgen.md §1.8):
// <scenario>/TEST0x/performance/run_1/ holds the run's logs; this adds verify_performance.txt
// (and for TEST01 verify_accuracy.txt and accuracy/mlperf_log_accuracy.json), comparing with the
// scenario's performance run (performance/run_1) and accuracy run (accuracy/).
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import type { ComplianceTest } from './audit-config.js';
import type { AccuracyDtype } from '../submission/accuracy-imagenet.js';
import { test01Fallback } from './test01-fallback.js';
import { verifyAccuracy, type VerifyDtype } from './verify-accuracy.js';
import { verifyPerformance } from './verify-performance.js';

export interface ComplianceOutcome {
  test: ComplianceTest;
  isPassing: boolean;
  /** The verify_*.txt files written. */
  reports: string[];
}

/** Where a compliance test's LoadGen logs go: `<scenarioDir>/<test>/performance/run_1`. */
export function complianceRunDir(scenarioDir: string, test: ComplianceTest): string {
  return join(scenarioDir, test, 'performance', 'run_1');
}

async function readLog(
  path: string,
  test: ComplianceTest,
): Promise<{ text: string; path: string }> {
  try {
    return { text: await readFile(path, 'utf8'), path };
  } catch (e) {
    throw new CmError('file-not-found', `${test} needs ${path}, which cannot be read`, {
      hint: 'run the scenario in performance and accuracy mode first (the _submission variation runs them before the compliance tests)',
      cause: e,
    });
  }
}

/** TEST01's second chance for a SUT whose responses differ between runs (test01-fallback.ts). */
export interface NonDeterministicCheck {
  /** The dataset's labels (val_map.txt), in the order of the QSL's samples. */
  valMap: string;
  /** How the accuracy script decodes a response (float32 unless the harness says otherwise). */
  dtype?: AccuracyDtype;
  /** The model's name, for the tolerance (1 %, 0.1 % for a 99.9 % model). */
  model?: string;
}

/**
 * Verifies a finished compliance run of `scenarioDir` and writes the reports beside it. With
 * `nonDeterministic`, a TEST01 whose sampled responses differ is scored as the official procedure
 * does and passes when both accuracies agree.
 */
export async function verifyComplianceRun(
  scenarioDir: string,
  test: ComplianceTest,
  dtype: VerifyDtype = 'float32',
  nonDeterministic?: NonDeterministicCheck,
): Promise<ComplianceOutcome> {
  const testDir = join(scenarioDir, test);
  const runDir = complianceRunDir(scenarioDir, test);
  const perfDir = join(scenarioDir, 'performance', 'run_1');
  const name = test === 'TEST01' ? 'mlperf_log_detail.txt' : 'mlperf_log_summary.txt';
  const perf = verifyPerformance(
    test,
    await readLog(join(perfDir, name), test),
    await readLog(join(runDir, name), test),
  );
  const reports = [join(testDir, 'verify_performance.txt')];
  await writeFile(reports[0]!, perf.report);
  let isPassing = perf.isPassing;
  if (test === 'TEST01') {
    const sampled = join(runDir, 'mlperf_log_accuracy.json');
    const reference = await readLog(
      join(scenarioDir, 'accuracy', 'mlperf_log_accuracy.json'),
      test,
    );
    const sampledLog = await readLog(sampled, test);
    const acc = verifyAccuracy({ reference, test: sampledLog, dtype });
    reports.push(join(testDir, 'verify_accuracy.txt'));
    await writeFile(reports[1]!, acc.report);
    await mkdir(join(testDir, 'accuracy'), { recursive: true });
    await copyFile(sampled, join(testDir, 'accuracy', 'mlperf_log_accuracy.json'));
    let accuracyPassing = acc.isPassing;
    if (!acc.isPassing && nonDeterministic) {
      const fallback = await test01Fallback({
        reference,
        test: sampledLog,
        valMap: await readLog(nonDeterministic.valMap, test),
        dtype: nonDeterministic.dtype ?? 'float32',
        model: nonDeterministic.model ?? 'resnet50',
        outDir: join(testDir, 'accuracy'),
      });
      reports.push(...fallback.files);
      accuracyPassing = fallback.isPassing;
    }
    isPassing &&= accuracyPassing;
  }
  return { test, isPassing, reports };
}
