// The LoadGen settings of a harness run, read as the reference main.py reads them (spec §6.4):
// mlperf.conf (embedded) then the user.conf for the model and scenario, the mode, and the command
// line's overrides (--time, --qps, --count). Pure: the caller reads the files.
import {
  defaultTestSettings,
  loadUserConfig,
  type Scenario,
  type SettingsLogEntry,
  type TestMode,
  type TestSettings,
} from '../loadgen/settings/index.js';

/** The harness's modes and LoadGen's names for them. */
export const BENCHMARK_MODES = {
  performance: 'PerformanceOnly',
  accuracy: 'AccuracyOnly',
  submission: 'SubmissionRun',
} as const satisfies Record<string, TestMode>;

export type BenchmarkMode = keyof typeof BENCHMARK_MODES;

export interface SettingsInput {
  modelName: string;
  scenario: Scenario;
  mode: BenchmarkMode;
  /** The user.conf text and its path (for errors); none: mlperf.conf alone. */
  userConf?: { text: string; path: string };
  /** Seconds: min = max duration. */
  timeS?: number;
  /** Server target qps and Offline expected qps. */
  qps?: number;
  /** min = max query count. */
  count?: number;
}

export interface BenchmarkSettings {
  settings: TestSettings;
  /** What reading the config files said (logged by startTest). */
  configEntries: SettingsLogEntry[];
}

export function benchmarkSettings(input: SettingsInput): BenchmarkSettings {
  const loaded = loadUserConfig(
    defaultTestSettings(),
    input.userConf?.text ?? '',
    input.modelName,
    input.scenario,
    { userConfsLoaded: 0 },
    { path: input.userConf?.path ?? 'user.conf' },
  );
  const settings: TestSettings = {
    ...loaded.settings,
    scenario: input.scenario,
    mode: BENCHMARK_MODES[input.mode],
  };
  if (input.timeS !== undefined) {
    settings.minDurationMs = Math.round(input.timeS * 1000);
    settings.maxDurationMs = settings.minDurationMs;
  }
  if (input.qps !== undefined) {
    settings.serverTargetQps = input.qps;
    settings.offlineExpectedQps = input.qps;
  }
  if (input.count !== undefined) {
    settings.minQueryCount = input.count;
    settings.maxQueryCount = input.count;
  }
  return { settings, configEntries: [...loaded.errors, ...loaded.warnings] };
}
