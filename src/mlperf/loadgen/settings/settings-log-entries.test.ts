import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { effectiveSettings } from './effective-settings.js';
import { loadUserConfig } from './from-config.js';
import { settingsLogEntries } from './settings-log-entries.js';
import { defaultTestSettings, type Scenario, type TestSettings } from './test-settings.js';

const qsl = { totalSampleCount: 50_000, performanceSampleCount: 1024 };

function entriesFor(scenario: Scenario, userConf: string, extra: Partial<TestSettings> = {}) {
  const base = { ...defaultTestSettings(), scenario, ...extra };
  const { settings } = loadUserConfig(base, userConf, 'resnet50', scenario, { userConfsLoaded: 0 });
  return settingsLogEntries(settings, effectiveSettings(settings, qsl).effective);
}

const commonRequested = [
  'requested_min_duration_ms',
  'requested_max_duration_ms',
  'requested_min_query_count',
  'requested_max_query_count',
  'requested_qsl_rng_seed',
  'requested_sample_index_rng_seed',
  'requested_schedule_rng_seed',
  'requested_accuracy_log_rng_seed',
  'requested_accuracy_log_probability',
  'requested_accuracy_log_sampling_target',
  'requested_print_timestamps',
  'requested_performance_issue_unique',
  'requested_performance_issue_same',
  'requested_performance_issue_same_index',
  'requested_performance_sample_count_override',
  'requested_accuracy_sample_count_override',
  'requested_sample_concatenate_permutation',
];

const effectiveKeys = [
  'effective_scenario',
  'effective_test_mode',
  'effective_samples_per_query',
  'effective_target_qps',
  'effective_target_latency_ns',
  'effective_target_latency_percentile',
  'effective_max_async_queries',
  'effective_target_duration_ms',
  'effective_min_duration_ms',
  'effective_max_duration_ms',
  'effective_min_query_count',
  'effective_max_query_count',
  'effective_min_sample_count',
  'effective_qsl_rng_seed',
  'effective_sample_index_rng_seed',
  'effective_schedule_rng_seed',
  'effective_accuracy_log_rng_seed',
  'effective_accuracy_log_probability',
  'effective_accuracy_log_sampling_target',
  'effective_print_timestamps',
  'effective_performance_issue_unique',
  'effective_performance_issue_same',
  'effective_performance_issue_same_index',
  'effective_performance_sample_count',
  'effective_accuracy_sample_count',
  'effective_sample_concatenate_permutation',
];

const scenarioKeys: [Scenario, string[]][] = [
  [
    'SingleStream',
    [
      'requested_single_stream_expected_latency_ns',
      'requested_single_stream_target_latency_percentile',
    ],
  ],
  [
    'MultiStream',
    [
      'requested_multi_stream_expected_latency_ns',
      'requested_multi_stream_target_latency_percentile',
      'requested_multi_stream_samples_per_query',
    ],
  ],
  [
    'Server',
    [
      'requested_server_target_qps',
      'requested_server_target_latency_ns',
      'requested_server_target_latency_percentile',
      'requested_server_coalesce_queries',
      'requested_server_find_peak_qps_decimals_of_precision',
      'requested_server_find_peak_qps_boundary_step_size',
      'requested_server_max_async_queries',
      'requested_server_num_issue_query_threads',
    ],
  ],
  ['Offline', ['requested_offline_expected_qps']],
];

describe('requested and effective settings in the detail log', () => {
  for (const [scenario, keys] of scenarioKeys) {
    test(`lists the ${scenario} keys in LoadGen's order (§4.3)`, () => {
      assert.deepEqual(
        entriesFor(scenario, '').map((e) => e.key),
        [
          'requested_scenario',
          'requested_test_mode',
          ...keys,
          ...commonRequested,
          ...effectiveKeys,
        ],
      );
    });
  }

  test('gives Offline off_100us values with integer and double types (§7 scenario 7)', () => {
    const entries = entriesFor(
      'Offline',
      '*.Offline.target_qps = 10000\n*.Offline.min_duration = 1000\n*.Offline.min_query_count = 1000',
    );
    const value = (key: string) => entries.find((e) => e.key === key)?.value;
    assert.equal(value('requested_scenario'), 'Offline');
    assert.equal(value('requested_test_mode'), 'PerformanceOnly');
    assert.equal(value('requested_offline_expected_qps'), 10_000);
    assert.equal(value('requested_min_query_count'), 1000n);
    assert.equal(value('effective_samples_per_query'), 11_000n);
    assert.equal(value('effective_min_query_count'), 1n);
    assert.equal(value('effective_target_duration_ms'), 0n);
    assert.equal(value('effective_min_sample_count'), 11_000n);
    assert.equal(value('effective_target_qps'), 10_000);
    assert.equal(value('effective_target_latency_percentile'), 0.99);
    assert.equal(value('effective_schedule_rng_seed'), 16159082839903944936n);
    assert.equal(value('effective_performance_sample_count'), 1024n);
    assert.equal(value('effective_sample_concatenate_permutation'), false);
  });

  test('adds the token-latency keys when token latencies are on', () => {
    const keys = entriesFor('Server', '', { useTokenLatencies: true }).map((e) => e.key);
    const at = keys.indexOf('requested_sample_concatenate_permutation');
    assert.deepEqual(keys.slice(at + 1, at + 4), [
      'requested_use_token_latencies',
      'requested_server_ttft_latency',
      'requested_server_tpot_latency',
    ]);
  });
});
