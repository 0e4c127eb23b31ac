import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AUDIT_CONFIG_WARNING, startTestSettings } from './audit-config.js';
import { effectiveSettings } from './effective-settings.js';
import { formatG } from '../logs/number-format.js';
import { fromConfig, loadUserConfig } from './from-config.js';
import { defaultTestSettings, type Scenario, type TestSettings } from './test-settings.js';

const resnetQsl = { totalSampleCount: 50_000, performanceSampleCount: 1024 };

function resnet(scenario: Scenario, userConf: string): TestSettings {
  const base = { ...defaultTestSettings(), scenario };
  const loaded = loadUserConfig(base, userConf, 'resnet50', scenario, { userConfsLoaded: 0 });
  assert.deepEqual(loaded.errors, []);
  return loaded.settings;
}

describe('effective settings', () => {
  test('SingleStream resnet50 with a 2 ms hint runs at 500 QPS (§7 scenario 1)', () => {
    const { effective, errors } = effectiveSettings(
      resnet('SingleStream', 'resnet50.SingleStream.target_latency = 2'),
      resnetQsl,
    );
    assert.deepEqual(errors, []);
    assert.equal(effective.targetQps, 500);
    assert.equal(effective.requested.singleStreamExpectedLatencyNs, 2_000_000);
    assert.equal(effective.targetLatencyPercentile, 0.9);
    assert.equal(effective.targetLatencyNs, 0n);
    assert.equal(effective.minDurationMs, 600_000);
    assert.equal(effective.targetDurationMs, 600_000);
    assert.equal(effective.minQueryCount, 100);
    assert.equal(effective.minSampleCount, 100);
    assert.equal(effective.performanceSampleCount, 1024);
    assert.equal(effective.accuracySampleCount, 50_000);
    assert.equal(effective.maxAsyncQueries, 1);
    assert.equal(effective.scheduleRngSeed, 16159082839903944936n);
  });

  test('Offline coalesces 1.1 × duration × QPS samples into one query (§7 scenario 7, off_100us)', () => {
    const settings = resnet(
      'Offline',
      [
        'resnet50.Offline.target_qps = 10000',
        'resnet50.Offline.min_duration = 1000',
        'resnet50.Offline.min_query_count = 1000',
      ].join('\n'),
    );
    const { effective } = effectiveSettings(settings, resnetQsl);
    assert.equal(effective.samplesPerQuery, 11_000);
    assert.equal(effective.minQueryCount, 1);
    assert.equal(effective.targetDurationMs, 0);
    assert.equal(effective.minSampleCount, 11_000);
    assert.equal(effective.minDurationMs, 1000);
    assert.equal(effective.targetLatencyPercentile, 0.99);
  });

  const offline: [string, string, number][] = [
    [
      'min_query_count wins over a small QPS (resnet50 24576)',
      'resnet50.Offline.target_qps = 1',
      24_576,
    ],
    [
      'qps 100 over 2 s gives 220 (§7 scenario 25)',
      '*.Offline.target_qps = 100\n*.Offline.min_duration = 2000\n*.Offline.min_query_count = 1',
      220,
    ],
  ];
  for (const [name, conf, spq] of offline) {
    test(`Offline samples per query: ${name}`, () => {
      const { effective } = effectiveSettings(resnet('Offline', conf), resnetQsl);
      assert.equal(effective.samplesPerQuery, spq);
    });
  }

  test('Offline with performance_issue_unique issues the performance set once', () => {
    const settings = { ...resnet('Offline', '*.*.performance_issue_unique = 1') };
    assert.equal(effectiveSettings(settings, resnetQsl).effective.samplesPerQuery, 1024);
  });

  test('Server keeps the integer-parsed target latency (§7 scenario 5)', () => {
    const { effective } = effectiveSettings(
      resnet('Server', 'resnet50.Server.target_latency = 15.7\nresnet50.Server.target_qps = 200'),
      resnetQsl,
    );
    assert.equal(effective.targetLatencyNs, 15_000_000n);
    assert.equal(effective.targetQps, 200);
    assert.equal(effective.maxAsyncQueries, 0);
    assert.equal(effective.targetLatencyPercentile, 0.99);
  });

  test('MultiStream takes 8 samples per query and 662 queries from mlperf.conf', () => {
    const { effective } = effectiveSettings(resnet('MultiStream', ''), resnetQsl);
    assert.equal(effective.samplesPerQuery, 8);
    assert.equal(effective.minQueryCount, 662);
    assert.equal(effective.minSampleCount, 5296);
    assert.equal(effective.targetQps, 1e9 / 80e6);
  });

  test('pointpainting SingleStream aims at the 99.9th percentile (§7 scenario 5)', () => {
    const base = { ...defaultTestSettings(), scenario: 'SingleStream' as const };
    const { settings } = loadUserConfig(base, '', 'pointpainting', 'SingleStream', {
      userConfsLoaded: 0,
    });
    const { effective } = effectiveSettings(settings, resnetQsl);
    assert.equal(effective.targetLatencyPercentile, 0.9990000000000001);
    assert.equal((effective.targetLatencyPercentile * 100).toFixed(1), '99.9');
  });

  test('equal-issue SingleStream rounds the query count up past a multiple of the QSL count', () => {
    const settings: TestSettings = {
      ...defaultTestSettings(),
      sampleConcatenatePermutation: true,
      singleStreamExpectedLatencyNs: 10_000_000,
      minDurationMs: 1000,
      minQueryCount: 100,
      performanceSampleCountOverride: 7,
    };
    // trunc(2 × 1 s × 100 QPS) = 200, then + 43 - (200 mod 43) with the QSL's own count 43.
    const { effective } = effectiveSettings(settings, {
      totalSampleCount: 100,
      performanceSampleCount: 43,
    });
    assert.equal(effective.minQueryCount, 215);
    assert.equal(effective.minSampleCount, 215);
    assert.equal(effective.performanceSampleCount, 7);
  });

  const invalid: [string, Partial<TestSettings>, string][] = [
    [
      'a negative Server QPS',
      { scenario: 'Server', serverTargetQps: -5 },
      'Invalid value for server_target_qps requested. requested: -5 using: 1',
    ],
    [
      'a negative Offline QPS',
      { scenario: 'Offline', offlineExpectedQps: -0.25 },
      'Invalid value for offline_expected_qps requested. requested: -0.25 using: 1',
    ],
    [
      'a same-sample index outside the performance set',
      { performanceIssueSame: true, performanceIssueSameIndex: 1024 },
      'Sample Idx to be repeated in performance_issue_same mode cannot be greater than loaded performance_sample_count. performance_issue_same_index: 1024 performance_sample_count: 1024',
    ],
    [
      'unique and same together',
      { performanceIssueSame: true, performanceIssueUnique: true },
      'Performance_issue_unique and performance_issue_same, both cannot be true at the same time. performance_issue_unique: 1 performance_issue_same: 1',
    ],
  ];
  for (const [name, overrides, message] of invalid) {
    test(`logs error_invalid_test_settings for ${name}`, () => {
      const { effective, errors } = effectiveSettings(
        { ...defaultTestSettings(), ...overrides },
        resnetQsl,
      );
      assert.deepEqual(errors, [{ key: 'error_invalid_test_settings', message }]);
      if (overrides.scenario === 'Server' || overrides.scenario === 'Offline') {
        assert.equal(effective.targetQps, 1);
      }
    });
  }
});

describe('audit.config at test start', () => {
  test('overrides mode and TEST01 keys and logs the warning (§7 scenario 8)', () => {
    const requested = { ...resnet('SingleStream', ''), mode: 'AccuracyOnly' as const };
    const result = startTestSettings(requested, {
      auditConfigText:
        '*.*.mode = 2\n*.*.accuracy_log_rng_seed = 720381539243781796\n*.*.accuracy_log_sampling_target = 4096\n',
    });
    assert.deepEqual(result.warnings, [
      { key: 'warning_generic_message', message: AUDIT_CONFIG_WARNING },
    ]);
    assert.equal(
      AUDIT_CONFIG_WARNING,
      'Found Audit Config file (audit.config). Overriding TestSettings from audit.config file.',
    );
    assert.deepEqual(result.errors, []);
    assert.equal(result.settings.mode, 'PerformanceOnly');
    assert.equal(result.settings.accuracyLogRngSeed, 720381539243781796n);
    assert.equal(result.settings.accuracyLogSamplingTarget, 4096);
    assert.equal(result.settings.qslRngSeed, 2085463073848966840n, 'audit.config keeps the seeds');
    assert.equal(requested.mode, 'AccuracyOnly', 'the requested settings are not changed');
  });

  test('applies scenario-specific audit keys under the scenario name (TEST04)', () => {
    const requested = resnet('Offline', '');
    const { settings } = startTestSettings(requested, {
      auditConfigText:
        '*.Offline.performance_issue_same = 1\n*.Offline.performance_issue_same_index = 3\n*.Server.performance_issue_unique = 1',
    });
    assert.equal(settings.performanceIssueSame, true);
    assert.equal(settings.performanceIssueSameIndex, 3);
    assert.equal(settings.performanceIssueUnique, false);
  });

  test('changes nothing and logs nothing without an audit.config', () => {
    const requested = resnet('Server', '');
    const result = startTestSettings(requested);
    assert.equal(result.settings, requested);
    assert.deepEqual([...result.warnings, ...result.errors], []);
  });

  test('test05 in mlperf.conf switches to performance mode with the test05 seeds', () => {
    const conf = '*.*.test05 = 1\n*.*.test05_qsl_rng_seed = 7975553102935885558\n*.*.mode = 1';
    const { settings } = fromConfig(defaultTestSettings(), conf, 'x', 'SingleStream', {
      kind: 'mlperf',
    });
    const result = startTestSettings(settings);
    assert.equal(result.settings.mode, 'PerformanceOnly');
    assert.equal(result.settings.qslRngSeed, 7975553102935885558n);
    assert.equal(result.warnings.length, 1);
  });
});

describe('C++ default double formatting', () => {
  const cases: [number, string][] = [
    [-5, '-5'],
    [0.99, '0.99'],
    [2e6, '2e+06'],
    [1234567, '1.23457e+06'],
    [9967.484, '9967.48'],
    [6.90935e-9, '6.90935e-09'],
    [0.0001, '0.0001'],
    [123456, '123456'],
    [0.9990000000000001, '0.999'],
    // An exact tie rounds to even, as printf (JavaScript's toPrecision rounds it up).
    [1234565, '1.23456e+06'],
  ];
  for (const [x, text] of cases) {
    test(`prints ${x} as ${text}`, () => assert.equal(formatG(x), text));
  }
});
