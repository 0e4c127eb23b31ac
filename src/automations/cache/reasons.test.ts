import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  explainLine,
  missDecision,
  noLookupDecision,
  rejectionSentence,
  type Rejection,
} from './reasons.js';

const E = '/c/cache/5d37aa00bb11cc22';

test('a miss is explained by the rejection closest to the key, the nearest variations first', () => {
  const rows: Array<[string, Rejection[], string, string | undefined]> = [
    ['nothing looked at', [], 'no-entry', undefined],
    [
      'the entry of the key beats other variations',
      [
        { code: 'other-variations', path: 'a', has: ['fp16'], wanted: ['fp32'] },
        { code: 'expired', path: 'b', expiredAt: 0 },
      ],
      'expired',
      'b',
    ],
    [
      'a killed run beats another version',
      [
        { code: 'other-version', path: 'a', detail: 'not made for version 2' },
        { code: 'incomplete', path: 'b' },
      ],
      'incomplete',
      'b',
    ],
    [
      'the entry with the fewest differing variations',
      [
        { code: 'other-variations', path: 'far', has: ['fp16', 'onnx'], wanted: ['fp32'] },
        { code: 'other-variations', path: 'near', has: ['fp16'], wanted: ['fp32'] },
      ],
      'other-variations',
      'near',
    ],
  ];
  for (const [what, rejected, reason, entry] of rows) {
    const d = missDecision(rejected);
    assert.equal(d.status, 'miss', what);
    assert.equal(d.reason, reason, what);
    assert.equal(d.nearest, entry, what);
  }
});

test('other-variations names only the variations that differ', () => {
  const d = missDecision([
    { code: 'other-variations', path: E, has: ['fp16', 'onnx'], wanted: ['fp32', 'onnx'] },
  ]);
  assert.deepEqual([d.has, d.wanted], [['fp16'], ['fp32']]);
  assert.equal(
    explainLine('get-model', d),
    'get-model  miss  other-variations: entry 5d37… has _fp16, wanted _fp32',
  );
});

test('the progress sentences are derived from the codes', () => {
  assert.equal(
    rejectionSentence({ code: 'script-changed', files: ['run.sh'] }),
    'the script changed since it was made',
  );
  assert.equal(rejectionSentence({ code: 'expired', expiredAt: 1 }), 'it expired');
  assert.equal(
    rejectionSentence({ code: 'parent-gone', parent: '/x' }),
    'its dependent_cached_path /x is gone',
  );
});

test('without a lookup the cache is off (not cacheable, --skip_cache, --fake_run) or --new', () => {
  const base = { isNew: false, isCacheable: true, isFakeRun: false, skipCache: false };
  const rows: Array<[Partial<typeof base>, string, string]> = [
    [{ isCacheable: false }, 'off', 'not-cacheable'],
    [{ skipCache: true }, 'off', 'skip-cache'],
    [{ isFakeRun: true }, 'off', 'fake-run'],
    [{ isNew: true }, 'miss', 'new'],
    [{ isNew: true, isCacheable: false }, 'off', 'not-cacheable'],
  ];
  for (const [o, status, reason] of rows) {
    const d = noLookupDecision({ ...base, ...o });
    assert.deepEqual([d.status, d.reason], [status, reason], JSON.stringify(o));
  }
});
