// The audit.config of MLPerf's compliance tests for resnet50 (spec loadgen.md §1.8): LoadGen
// finds it beside the run and lets it override mlperf.conf and user.conf. TEST01 samples
// responses into the accuracy log of a performance run; TEST04 issues the same sample again and
// again, to show that results are not cached.
import type { Scenario } from '../loadgen/settings/index.js';

export type ComplianceTest = 'TEST01' | 'TEST04';

export const COMPLIANCE_TESTS: readonly ComplianceTest[] = ['TEST01', 'TEST04'];

/** TEST01's accuracy-log seed and the number of responses it samples (resnet50's values). */
const TEST01_ACCURACY_LOG_RNG_SEED = '720381539243781796';
const TEST01_SAMPLING_TARGET = 4096;

export function auditConfigText(test: ComplianceTest, scenario: Scenario): string {
  const header = [
    `# ${test} for resnet50, written by CM: key = value, keys model.scenario.key ('*' for any).`,
    '# mode 2 = performance.',
  ];
  const lines =
    test === 'TEST01'
      ? [
          '*.*.mode = 2',
          `*.*.accuracy_log_rng_seed = ${TEST01_ACCURACY_LOG_RNG_SEED}`,
          `*.*.accuracy_log_sampling_target = ${TEST01_SAMPLING_TARGET}`,
        ]
      : [
          `*.${scenario}.mode = 2`,
          `*.${scenario}.performance_issue_unique = 0`,
          `*.${scenario}.performance_issue_same = 1`,
          `*.${scenario}.performance_issue_same_index = 3`,
        ];
  return `${[...header, ...lines].join('\n')}\n`;
}

/** CM lowers the Server target for a compliance run of the valid style (TEST01 × 0.96, TEST04 × 0.97). */
export const SERVER_COMPLIANCE_FACTOR: Readonly<Record<ComplianceTest, number>> = {
  TEST01: 0.96,
  TEST04: 0.97,
};
