// Applying one config file to TestSettings (LoadGen's FromConfig, spec §2.3): which keys each kind
// of file may set, their units and value rules; and loading a user.conf after the embedded mlperf.conf.

import { scanDouble, scanUint64 } from './c-number.js';
import { lookupConf, parseConfText, type ConfFile } from './conf-file.js';
import type { SettingsLogEntry } from './log-entry.js';
import { DEFAULT_ROUND, mlperfConfText, type Round } from './mlperf-conf.js';
import { TEST_MODES, type Scenario, type TestSettings } from './test-settings.js';

/** mlperf.conf (LoadGen's conf type 0) alone may set seeds, accuracy_log_probability and test05. */
export type ConfKind = 'mlperf' | 'user' | 'audit';

/** What applying a config file gives: new settings (the input is not changed) and log entries. */
export interface ConfigResult {
  settings: TestSettings;
  errors: SettingsLogEntry[];
  warnings: SettingsLogEntry[];
  /** False when LoadGen rejects the file (it returns -EINVAL and applies none of its keys). */
  accepted: boolean;
}

const MS_TO_NS = 1_000_000;

/** Reads a field's value the two ways LoadGen does, with its multiplier. */
interface FieldReader {
  has(field: string, scenario?: string): boolean;
  /** strtoull(value) × multiplier, modulo 2^64. */
  uint64(field: string, multiplier?: bigint, scenario?: string): bigint | undefined;
  /** strtod(value) × multiplier, in double arithmetic. */
  double(field: string, multiplier?: number, scenario?: string): number | undefined;
}

function fieldReader(conf: ConfFile, model: string, runScenario: string): FieldReader {
  const find = (field: string, scenario = runScenario) => lookupConf(conf, model, scenario, field);
  return {
    has: (field, scenario) => find(field, scenario) !== undefined,
    uint64(field, multiplier = 1n, scenario) {
      const value = find(field, scenario);
      return value === undefined
        ? undefined
        : BigInt.asUintN(64, scanUint64(value).value * multiplier);
    },
    double(field, multiplier = 1, scenario) {
      const value = find(field, scenario);
      return value === undefined ? undefined : scanDouble(value).value * multiplier;
    },
  };
}

function count(value: bigint | undefined, current: number): number {
  return value === undefined ? current : Number(value);
}

/** LoadGen's two boolean readings: `== 1` for some keys, `!= 0` for others. */
function flagIsOne(value: bigint | undefined, current: boolean): boolean {
  return value === undefined ? current : value === 1n;
}
function flagNonZero(value: bigint | undefined, current: boolean): boolean {
  return value === undefined ? current : value !== 0n;
}

function applyMode(s: TestSettings, read: FieldReader, errors: SettingsLogEntry[]): void {
  const mode = read.uint64('mode');
  if (mode === undefined) return;
  const named = mode < 4n ? TEST_MODES[Number(mode)] : undefined;
  if (named === undefined) {
    errors.push({
      key: 'error_invalid_config',
      message: 'Invalid value passed to Mode key in config.',
    });
  } else {
    s.mode = named;
  }
}

function applyMlperfConfOnlyKeys(s: TestSettings, read: FieldReader): void {
  s.qslRngSeed = read.uint64('qsl_rng_seed') ?? s.qslRngSeed;
  s.sampleIndexRngSeed = read.uint64('sample_index_rng_seed') ?? s.sampleIndexRngSeed;
  s.scheduleRngSeed = read.uint64('schedule_rng_seed') ?? s.scheduleRngSeed;
  s.accuracyLogProbability =
    read.double('accuracy_log_probability', 0.01) ?? s.accuracyLogProbability;
  s.test05 = flagIsOne(read.uint64('test05'), s.test05);
  s.test05QslRngSeed = read.uint64('test05_qsl_rng_seed') ?? s.test05QslRngSeed;
  s.test05SampleIndexRngSeed =
    read.uint64('test05_sample_index_rng_seed') ?? s.test05SampleIndexRngSeed;
  s.test05ScheduleRngSeed = read.uint64('test05_schedule_rng_seed') ?? s.test05ScheduleRngSeed;
}

function applyTokenKeys(s: TestSettings, read: FieldReader): void {
  s.useTokenLatencies = flagIsOne(read.uint64('use_token_latencies'), s.useTokenLatencies);
  if (s.useTokenLatencies) {
    const ms = BigInt(MS_TO_NS);
    s.serverTtftLatencyNs = read.uint64('ttft_latency', ms, 'Server') ?? s.serverTtftLatencyNs;
    s.serverTpotLatencyNs = read.uint64('tpot_latency', ms, 'Server') ?? s.serverTpotLatencyNs;
  }
  s.inferTokenLatencies = flagIsOne(read.uint64('infer_token_latencies'), s.inferTokenLatencies);
  if (s.inferTokenLatencies) {
    s.tokenLatencyScalingFactor = count(
      read.uint64('token_latency_scaling_factor'),
      s.tokenLatencyScalingFactor,
    );
  }
}

/** Keys read under their own scenario's name whatever scenario runs. */
function applyScenarioKeys(s: TestSettings, read: FieldReader): void {
  s.singleStreamTargetLatencyPercentile =
    read.double('target_latency_percentile', 0.01, 'SingleStream') ??
    s.singleStreamTargetLatencyPercentile;
  s.multiStreamTargetLatencyPercentile =
    read.double('target_latency_percentile', 0.01, 'MultiStream') ??
    s.multiStreamTargetLatencyPercentile;
  s.multiStreamSamplesPerQuery = count(
    read.uint64('samples_per_query', 1n, 'MultiStream'),
    s.multiStreamSamplesPerQuery,
  );
  s.serverTargetLatencyPercentile =
    read.double('target_latency_percentile', 0.01, 'Server') ?? s.serverTargetLatencyPercentile;
  // An unsigned integer: "15.7" is 15 ms.
  s.serverTargetLatencyNs =
    read.uint64('target_latency', BigInt(MS_TO_NS), 'Server') ?? s.serverTargetLatencyNs;
}

function applyGenericKeys(s: TestSettings, read: FieldReader): void {
  s.performanceIssueUnique = flagNonZero(
    read.uint64('performance_issue_unique'),
    s.performanceIssueUnique,
  );
  s.performanceIssueSame = flagNonZero(
    read.uint64('performance_issue_same'),
    s.performanceIssueSame,
  );
  s.performanceIssueSameIndex = count(
    read.uint64('performance_issue_same_index'),
    s.performanceIssueSameIndex,
  );
  s.sampleConcatenatePermutation = flagIsOne(
    read.uint64('sample_concatenate_permutation'),
    s.sampleConcatenatePermutation,
  );
  s.serverCoalesceQueries = flagNonZero(
    read.uint64('coalesce_queries', 1n, 'Server'),
    s.serverCoalesceQueries,
  );
  const maxAsync = read.uint64('max_async_queries', 1n, 'Server');
  if (maxAsync !== undefined) {
    // LoadGen narrows the value to an int before storing it back in a uint64.
    s.serverMaxAsyncQueries = Number(BigInt.asUintN(64, BigInt.asIntN(32, maxAsync)));
  }
  s.minDurationMs = count(read.uint64('min_duration'), s.minDurationMs);
  s.maxDurationMs = count(read.uint64('max_duration'), s.maxDurationMs);
  s.minQueryCount = count(read.uint64('min_query_count'), s.minQueryCount);
  s.maxQueryCount = count(read.uint64('max_query_count'), s.maxQueryCount);
  s.performanceSampleCountOverride = count(
    read.uint64('performance_sample_count_override'),
    s.performanceSampleCountOverride,
  );
  s.accuracySampleCountOverride = count(
    read.uint64('accuracy_sample_count_override'),
    s.accuracySampleCountOverride,
  );
  s.singleStreamExpectedLatencyNs =
    read.double('target_latency', MS_TO_NS, 'SingleStream') ?? s.singleStreamExpectedLatencyNs;
  s.multiStreamExpectedLatencyNs =
    read.double('target_latency', MS_TO_NS, 'MultiStream') ?? s.multiStreamExpectedLatencyNs;
  s.serverTargetQps = read.double('target_qps', 1, 'Server') ?? s.serverTargetQps;
  s.offlineExpectedQps = read.double('target_qps', 1, 'Offline') ?? s.offlineExpectedQps;
  s.printTimestamps = flagNonZero(read.uint64('print_timestamps'), s.printTimestamps);
  s.accuracyLogRngSeed = read.uint64('accuracy_log_rng_seed') ?? s.accuracyLogRngSeed;
  s.accuracyLogSamplingTarget = count(
    read.uint64('accuracy_log_sampling_target'),
    s.accuracyLogSamplingTarget,
  );
}

/**
 * Applies one config file's text for `model` (or `*`) running `scenario`. Fields the file does not
 * set keep their value; a malformed file changes nothing and yields its error entries.
 */
export function fromConfig(
  settings: TestSettings,
  confText: string,
  model: string,
  scenario: Scenario,
  options: { kind: ConfKind },
): ConfigResult {
  const conf = parseConfText(confText);
  if (conf.errors.length > 0) {
    return { settings, errors: conf.errors, warnings: [], accepted: false };
  }
  const s: TestSettings = { ...settings };
  const errors: SettingsLogEntry[] = [];
  const read = fieldReader(conf, model, scenario);
  applyMode(s, read, errors);
  if (options.kind === 'mlperf') applyMlperfConfOnlyKeys(s, read);
  applyTokenKeys(s, read);
  applyScenarioKeys(s, read);
  applyGenericKeys(s, read);
  return { settings: s, errors, warnings: [], accepted: true };
}

/** How many user.conf files this process has loaded (LoadGen keeps this count in a static). */
export interface UserConfState {
  userConfsLoaded: number;
}

/**
 * LoadGen's `FromConfig(user.conf, model, scenario)`: the first call applies the embedded
 * mlperf.conf of `round` first; later calls log "Multiple conf files are used…" as an error.
 * `userConfText` undefined means the file could not be read (`path` names it in the error).
 */
export function loadUserConfig(
  settings: TestSettings,
  userConfText: string | undefined,
  model: string,
  scenario: Scenario,
  state: UserConfState,
  options: { round?: Round; path?: string } = {},
): ConfigResult & { state: UserConfState } {
  const errors: SettingsLogEntry[] = [];
  let current = settings;
  if (state.userConfsLoaded === 0) {
    const mlperf = fromConfig(
      settings,
      mlperfConfText(options.round ?? DEFAULT_ROUND),
      model,
      scenario,
      {
        kind: 'mlperf',
      },
    );
    current = mlperf.settings;
    errors.push(...mlperf.errors);
  } else {
    errors.push({
      key: 'error_invalid_config',
      message: 'Multiple conf files are used. This is not valid for official submission.',
    });
  }
  const nextState = { userConfsLoaded: state.userConfsLoaded + 1 };
  if (userConfText === undefined) {
    errors.push(unreadableConfigEntry(options.path ?? 'user.conf'));
    return { settings: current, errors, warnings: [], accepted: false, state: nextState };
  }
  const user = fromConfig(current, userConfText, model, scenario, { kind: 'user' });
  return {
    ...user,
    errors: [...errors, ...user.errors],
    state: nextState,
  };
}

/** The entry LoadGen logs when a config file cannot be opened (the caller reads files). */
export function unreadableConfigEntry(path: string): SettingsLogEntry {
  return { key: 'error_invalid_config', message: `can't open file ${path}` };
}
