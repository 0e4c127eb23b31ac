import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateUserConf } from './user-conf.js';

test('test style: the catalog fixes the target, the query counts and the durations', () => {
  const off = generateUserConf({
    model: 'resnet50',
    scenario: 'Offline',
    style: 'test',
    testQueryCount: 10,
  });
  assert.equal(
    off.text,
    [
      'resnet50.Offline.target_qps = 1.0',
      'resnet50.Offline.max_query_count = 10',
      'resnet50.Offline.min_query_count = 10',
      'resnet50.Offline.min_duration = 0',
      'resnet50.Offline.sample_concatenate_permutation = 0',
      '',
    ].join('\n'),
  );
  assert.equal(off.queryCount, 10);
  const ss = generateUserConf({ model: 'resnet50', scenario: 'SingleStream', style: 'test' });
  assert.match(ss.text, /^resnet50\.SingleStream\.target_latency = 1000\n/);
  assert.match(ss.text, /resnet50\.SingleStream\.max_duration = 30000\n$/);
  assert.equal(ss.queryCount, 5);
  const server = generateUserConf({
    model: 'resnet50',
    scenario: 'Server',
    style: 'test',
    target: 20,
  });
  assert.match(server.text, /^resnet50\.Server\.target_qps = 20\n/);
});

test('fast and valid styles', () => {
  const off = generateUserConf({
    model: 'resnet50',
    scenario: 'Offline',
    style: 'fast',
    target: 100,
  });
  assert.equal(
    off.text,
    'resnet50.Offline.target_qps = 20.0\nresnet50.Offline.sample_concatenate_permutation = 0\n',
  );
  const server = generateUserConf({
    model: 'resnet50',
    scenario: 'Server',
    style: 'fast',
    target: 50,
  });
  assert.match(
    server.text,
    /Server\.max_duration = 120000\nresnet50\.Server\.max_query_count = 6600\n$/,
  );
  assert.equal(server.queryCount, 6600);
  const ms = generateUserConf({
    model: 'resnet50',
    scenario: 'MultiStream',
    style: 'valid',
    performanceSampleCount: 1024,
  });
  assert.equal(
    ms.text,
    [
      'resnet50.MultiStream.target_latency = 0.5',
      'resnet50.*.performance_sample_count_override = 1024',
      'resnet50.MultiStream.max_duration = 660000',
      'resnet50.MultiStream.min_query_count = 662',
      '',
    ].join('\n'),
  );
  assert.equal(ms.queryCount, undefined);
});

test('a target that is not a positive number is refused with the flag named', () => {
  assert.throws(
    () => generateUserConf({ model: 'resnet50', scenario: 'Offline', style: 'valid', target: -3 }),
    /--target_qps must be a number > 0 \(found -3\)/,
  );
  assert.throws(
    () =>
      generateUserConf({
        model: 'resnet50',
        scenario: 'SingleStream',
        style: 'valid',
        target: Number.NaN,
      }),
    /--target_latency must be/,
  );
});
