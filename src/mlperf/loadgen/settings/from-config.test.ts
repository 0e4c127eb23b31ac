import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfText } from './conf-file.js';
import { fromConfig, loadUserConfig } from './from-config.js';
import { MLPERF_CONF_V6_1, ROUND_SEEDS, mlperfConfText } from './mlperf-conf.js';
import { defaultTestSettings, type Scenario } from './test-settings.js';

const fresh = { userConfsLoaded: 0 };

function loadResnet(userConf: string, scenario: Scenario) {
  const settings = { ...defaultTestSettings(), scenario };
  return loadUserConfig(settings, userConf, 'resnet50', scenario, fresh);
}

describe('loading mlperf.conf and user.conf', () => {
  test('applies the embedded mlperf.conf before user.conf (§7 scenario 1)', () => {
    const { settings, errors } = loadResnet(
      'resnet50.SingleStream.target_latency = 2\n',
      'SingleStream',
    );
    assert.deepEqual(errors, []);
    assert.equal(settings.singleStreamExpectedLatencyNs, 2_000_000);
    assert.equal(settings.singleStreamTargetLatencyPercentile, 0.9);
    assert.equal(settings.minDurationMs, 600_000);
    assert.equal(settings.minQueryCount, 100);
    assert.equal(settings.performanceSampleCountOverride, 1024);
  });

  const precedence: [string, string[], Scenario, number][] = [
    ['exact key beats every wildcard', [], 'Offline', 11],
    ['scenario wildcard beats model wildcard', ['resnet50.Offline'], 'Offline', 7],
    ['model wildcard applies to another scenario', [], 'SingleStream', 9],
    [
      'model-and-scenario wildcard is the last resort',
      ['resnet50.*', 'resnet50.Offline', '*.Offline'],
      'Offline',
      5,
    ],
  ];
  const lines = [
    '*.*.min_query_count=5',
    '*.Offline.min_query_count=7',
    'resnet50.*.min_query_count=9',
    'resnet50.Offline.min_query_count=11',
  ];
  for (const [name, removed, scenario, expected] of precedence) {
    test(`${name} (§7 scenario 2)`, () => {
      // Tokens are whitespace separated: write `key = value`.
      const text = lines
        .filter((l) => !removed.some((r) => l.startsWith(`${r}.min_query_count`)))
        .map((l) => l.replace('=', ' = '))
        .join('\n');
      const { settings, errors } = loadResnet(text, scenario);
      assert.deepEqual(errors, []);
      assert.equal(settings.minQueryCount, expected);
    });
  }

  test('ignores seeds, accuracy_log_probability and test05 keys in user.conf (§7 scenario 3)', () => {
    const { settings } = loadResnet(
      [
        '*.*.qsl_rng_seed = 1',
        '*.*.sample_index_rng_seed = 2',
        '*.*.schedule_rng_seed = 3',
        '*.*.accuracy_log_probability = 50',
        '*.*.test05 = 1',
      ].join('\n'),
      'Offline',
    );
    assert.equal(settings.qslRngSeed, 2085463073848966840n);
    assert.equal(settings.sampleIndexRngSeed, 2747215439041700203n);
    assert.equal(settings.scheduleRngSeed, 16159082839903944936n);
    assert.equal(settings.accuracyLogProbability, 0);
    assert.equal(settings.test05, false);
  });

  test('honours accuracy_log_probability in mlperf.conf as a percentage', () => {
    const { settings } = fromConfig(
      defaultTestSettings(),
      '*.*.accuracy_log_probability = 50',
      'm',
      'Server',
      {
        kind: 'mlperf',
      },
    );
    assert.equal(settings.accuracyLogProbability, 0.5);
  });

  test('reports a line without `=` at line 1 as LoadGen does (§7 scenario 4)', () => {
    const result = loadResnet('resnet50.Offline.target_qps 100', 'Offline');
    assert.equal(result.accepted, false);
    assert.deepEqual(result.errors, [
      { key: 'error_invalid_config', message: "expected 'key=value', line=1" },
    ]);
  });

  const malformed: [string, string, string][] = [
    ['a missing `=`', 'resnet50.Offline.target_qps 100', "expected 'key=value', line=2"],
    ['a non-numeric value', 'a.b.c = abc', 'value needs to be integer or double, line=2'],
    ['a comment glued to a key', '\n#comment line', "expected 'key=value', line=3"],
    [
      'a comment after a value',
      '\n\na.b.c = 5 # five',
      'value needs to be integer or double, line=4',
    ],
  ];
  for (const [name, text, message] of malformed) {
    test(`rejects the whole file for ${name} (§7 scenario 4)`, () => {
      const result = loadResnet(`*.*.min_query_count = 3\n${text}`, 'Offline');
      assert.equal(result.accepted, false);
      assert.deepEqual(result.errors, [{ key: 'error_invalid_config', message }]);
      assert.equal(result.settings.minQueryCount, 24576, 'no key of the rejected file applies');
    });
  }

  test('accepts comments, blank lines and a whole-line `# comment`', () => {
    const conf = parseConfText('# a comment\n\n  \na.b.c = 1\na.b.d =\na.b.e = 2 3\n');
    assert.deepEqual(conf.errors, []);
    assert.deepEqual(
      [...conf.values],
      [
        ['a.b.c', '1'],
        ['a.b.e', '3'],
      ],
    );
  });

  test('reads the Server target latency as an unsigned integer in ms (§7 scenario 5)', () => {
    const { settings } = loadResnet('resnet50.Server.target_latency = 15.7', 'Server');
    assert.equal(settings.serverTargetLatencyNs, 15_000_000n);
  });

  test('reads SingleStream and MultiStream latencies as doubles in ms', () => {
    const { settings } = loadResnet(
      '*.SingleStream.target_latency = 0.5\n*.MultiStream.target_latency = 15.7',
      'MultiStream',
    );
    assert.equal(settings.singleStreamExpectedLatencyNs, 500_000);
    assert.equal(settings.multiStreamExpectedLatencyNs, 15.7 * 1e6);
  });

  test('scales percentiles by 0.01 in double arithmetic (§7 scenario 5)', () => {
    const settings = { ...defaultTestSettings(), scenario: 'SingleStream' as const };
    const { settings: s } = loadUserConfig(settings, '', 'pointpainting', 'SingleStream', fresh);
    assert.equal(s.singleStreamTargetLatencyPercentile, 0.9990000000000001);
  });

  test('logs "Multiple conf files are used" on a second user.conf (§7 scenario 6)', () => {
    const first = loadResnet('*.*.min_query_count = 3', 'Offline');
    const second = loadUserConfig(
      first.settings,
      '*.*.max_query_count = 4',
      'resnet50',
      'Offline',
      first.state,
    );
    assert.deepEqual(second.errors, [
      {
        key: 'error_invalid_config',
        message: 'Multiple conf files are used. This is not valid for official submission.',
      },
    ]);
    assert.equal(second.settings.minQueryCount, 3);
    assert.equal(second.settings.maxQueryCount, 4);
    assert.equal(second.state.userConfsLoaded, 2);
  });

  test('applies mlperf.conf even when user.conf cannot be read', () => {
    const settings = { ...defaultTestSettings(), scenario: 'Offline' as const };
    const result = loadUserConfig(settings, undefined, 'resnet50', 'Offline', fresh, {
      path: 'x/user.conf',
    });
    assert.deepEqual(result.errors, [
      { key: 'error_invalid_config', message: "can't open file x/user.conf" },
    ]);
    assert.equal(result.settings.minQueryCount, 24576);
  });

  const modes: [string, string | undefined][] = [
    ['0', 'SubmissionRun'],
    ['1', 'AccuracyOnly'],
    ['2', 'PerformanceOnly'],
    ['3', 'FindPeakPerformance'],
    ['4', undefined],
  ];
  for (const [value, mode] of modes) {
    test(`reads mode ${value} as ${mode ?? 'an error'}`, () => {
      const result = fromConfig(
        defaultTestSettings(),
        `*.*.mode = ${value}`,
        'resnet50',
        'Offline',
        { kind: 'user' },
      );
      assert.equal(result.settings.mode, mode ?? 'PerformanceOnly');
      assert.equal(result.errors.length, mode === undefined ? 1 : 0);
    });
  }

  test('reads fixed-scenario keys whatever scenario runs', () => {
    const { settings } = loadResnet(
      '*.Server.target_qps = 123.5\n*.Offline.target_qps = 77',
      'SingleStream',
    );
    assert.equal(settings.serverTargetQps, 123.5);
    assert.equal(settings.offlineExpectedQps, 77);
  });
});

describe('the embedded mlperf.conf', () => {
  test('sets the resnet50 values of §2.4', () => {
    const conf = parseConfText(MLPERF_CONF_V6_1);
    assert.deepEqual(conf.errors, []);
    const expected: [string, string][] = [
      ['resnet50.*.performance_sample_count_override', '1024'],
      ['*.MultiStream.min_query_count', '662'],
      ['resnet50.Server.target_latency', '15'],
      ['resnet50.Offline.min_query_count', '24576'],
      ['*.Server.target_qps', '1.0'],
    ];
    for (const [key, value] of expected) assert.equal(conf.values.get(key), value, key);
  });

  for (const round of ['v6.1', 'v6.0', 'v5.1', 'v5.0'] as const) {
    test(`gives round ${round}'s seeds when that round is selected`, () => {
      const settings = { ...defaultTestSettings(), scenario: 'Offline' as const };
      const { settings: s } = loadUserConfig(settings, '', 'resnet50', 'Offline', fresh, { round });
      assert.deepEqual(
        {
          qslRngSeed: s.qslRngSeed,
          sampleIndexRngSeed: s.sampleIndexRngSeed,
          scheduleRngSeed: s.scheduleRngSeed,
        },
        ROUND_SEEDS[round],
      );
    });
  }

  test('is unchanged for the default round', () => {
    assert.equal(mlperfConfText(), MLPERF_CONF_V6_1);
  });
});
