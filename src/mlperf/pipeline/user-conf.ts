// The user.conf CM writes for one MLPerf run (spec loadgen.md §6.3, the catalog's
// generate-mlperf-inference-user-conf): one target line for the scenario's metric, then the
// extras of the run style (test, fast, valid). Pure: settings in, the file's text out.
import { CmError } from '../../core/errors.js';
import type { Scenario } from '../loadgen/settings/index.js';
import { formatFloatPython } from '../submission/python-format.js';

export type RunStyle = 'test' | 'fast' | 'valid';

export interface UserConfRequest {
  /** The name mlperf.conf uses (`resnet50`). */
  model: string;
  scenario: Scenario;
  style: RunStyle;
  /** --target_qps (Offline, Server) or --target_latency in ms (SingleStream, MultiStream). */
  target?: number;
  /** CM_TEST_QUERY_COUNT: the query count of a test run (default 5, as the catalog). */
  testQueryCount?: number;
  minQueryCount?: number;
  maxQueryCount?: number;
  /** CM_MLPERF_INFERENCE_TEST_QPS: the Offline qps of a test run (default 1). */
  testQps?: number;
  /** Seconds: CM_MLPERF_MAX_DURATION_TEST (30), _FAST (120), _VALID (660). */
  maxDurationTestS?: number;
  maxDurationFastS?: number;
  maxDurationValidS?: number;
  /** CM_MLPERF_PERFORMANCE_SAMPLE_COUNT */
  performanceSampleCount?: number;
  /** CM_MLPERF_USE_MAX_DURATION (default yes). */
  useMaxDuration?: boolean;
}

export interface UserConf {
  text: string;
  metric: 'target_qps' | 'target_latency';
  /** The query count the harness is given (--count), when the style fixes one. */
  queryCount?: number;
}

/** The fast style divides the Offline qps (and multiplies latencies) by this. */
const FAST_FACTOR = 5;

function positive(value: number | undefined, what: string): void {
  if (value !== undefined && !(Number.isFinite(value) && value > 0))
    throw new CmError('bad-input', `${what} must be a number > 0 (found ${value})`);
}

/** The target line's value, written as the catalog writes it for the style. */
function targetValue(r: UserConfRequest, metric: UserConf['metric']): string {
  // Without a target: 1 qps, 0.5 ms (the catalog's defaults, written as it writes them).
  const base = r.target ?? (metric === 'target_qps' ? 1 : 0.5);
  if (r.style === 'fast') {
    if (r.scenario === 'Offline') return formatFloatPython(base / FAST_FACTOR);
    if (r.scenario === 'SingleStream' || r.scenario === 'MultiStream')
      return formatFloatPython(base * FAST_FACTOR);
  }
  if (r.style === 'test') {
    if (r.scenario === 'Offline') return formatFloatPython(r.testQps ?? 1);
    if (r.scenario === 'SingleStream') return '1000';
  }
  return String(base);
}

function styleExtras(
  r: UserConfRequest,
  metricValue: string,
  line: (k: string, v: string) => void,
): number | undefined {
  const maxDurationOn = r.useMaxDuration ?? true;
  if (r.style === 'test') {
    const count = r.testQueryCount ?? 5;
    const min = r.minQueryCount ?? count;
    const max = Math.max(min, r.maxQueryCount ?? count);
    line('max_query_count', String(max));
    line('min_query_count', String(min));
    line('min_duration', '0');
    line('sample_concatenate_permutation', '0');
    if (maxDurationOn && r.scenario !== 'Offline')
      line('max_duration', String((r.maxDurationTestS ?? 30) * 1000));
    return count;
  }
  if (r.style === 'fast') {
    line('sample_concatenate_permutation', '0');
    if (r.scenario !== 'Server') return undefined;
    line('max_duration', String((r.maxDurationFastS ?? 120) * 1000));
    const count = Math.trunc((660 / FAST_FACTOR) * Number(metricValue));
    line('max_query_count', String(count));
    return count;
  }
  if (r.scenario === 'SingleStream' || r.scenario === 'MultiStream') {
    if (maxDurationOn) line('max_duration', String((r.maxDurationValidS ?? 660) * 1000));
    if (r.scenario === 'MultiStream') line('min_query_count', '662');
  }
  return undefined;
}

/** The user.conf text for one run, and the query count the harness gets. */
export function generateUserConf(r: UserConfRequest): UserConf {
  positive(
    r.target,
    r.scenario === 'Offline' || r.scenario === 'Server' ? '--target_qps' : '--target_latency',
  );
  positive(r.testQueryCount, '--test_query_count');
  positive(r.performanceSampleCount, '--performance_sample_count');
  const metric =
    r.scenario === 'Offline' || r.scenario === 'Server' ? 'target_qps' : 'target_latency';
  const lines: string[] = [];
  const line = (key: string, value: string): void => {
    lines.push(`${r.model}.${r.scenario}.${key} = ${value}`);
  };
  const value = targetValue(r, metric);
  line(metric, value);
  if (r.performanceSampleCount !== undefined)
    lines.push(`${r.model}.*.performance_sample_count_override = ${r.performanceSampleCount}`);
  const queryCount = styleExtras(r, value, line);
  return {
    text: `${lines.join('\n')}\n`,
    metric,
    ...(queryCount !== undefined ? { queryCount } : {}),
  };
}
