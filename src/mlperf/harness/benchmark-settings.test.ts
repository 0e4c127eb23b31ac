import { test } from 'node:test';
import assert from 'node:assert/strict';
import { benchmarkSettings } from './benchmark-settings.js';

test('mlperf.conf, then the user.conf for resnet50 and the scenario, then the mode', () => {
  const { settings, configEntries } = benchmarkSettings({
    modelName: 'resnet50',
    scenario: 'Offline',
    mode: 'accuracy',
    userConf: { text: 'resnet50.Offline.target_qps = 123\n*.Server.target_qps = 7\n', path: 'u' },
  });
  assert.equal(settings.scenario, 'Offline');
  assert.equal(settings.mode, 'AccuracyOnly');
  assert.equal(settings.offlineExpectedQps, 123);
  assert.equal(settings.serverTargetQps, 7);
  // mlperf.conf's resnet50 line.
  assert.equal(settings.performanceSampleCountOverride, 1024);
  assert.deepEqual(configEntries, []);
});

test('--count fixes the query count, --time the duration, --qps both targets', () => {
  const { settings } = benchmarkSettings({
    modelName: 'resnet50',
    scenario: 'Server',
    mode: 'submission',
    count: 50,
    timeS: 2.5,
    qps: 40,
  });
  assert.equal(settings.mode, 'SubmissionRun');
  assert.equal(settings.minQueryCount, 50);
  assert.equal(settings.maxQueryCount, 50);
  assert.equal(settings.minDurationMs, 2500);
  assert.equal(settings.maxDurationMs, 2500);
  assert.equal(settings.serverTargetQps, 40);
  assert.equal(settings.offlineExpectedQps, 40);
});

test('a malformed user.conf is reported for the detail log, not thrown', () => {
  const { configEntries } = benchmarkSettings({
    modelName: 'resnet50',
    scenario: 'SingleStream',
    mode: 'performance',
    userConf: { text: 'resnet50.SingleStream.target_latency 3\n', path: 'u' },
  });
  assert.equal(configEntries[0]?.key, 'error_invalid_config');
});
