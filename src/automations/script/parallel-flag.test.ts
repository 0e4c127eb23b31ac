import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../../core/errors.js';
import { parseParallel } from './parallel-flag.js';

test('--parallel=N, else CM_PARALLEL or MLC_PARALLEL, else 1; alone: one per CPU', () => {
  assert.equal(parseParallel({}, {}), 1);
  assert.equal(parseParallel({ parallel: '4' }, {}), 4);
  assert.equal(parseParallel({ parallel: 3 }, {}), 3, 'a JSON input');
  assert.equal(parseParallel({ parallel: ' 2 ' }, {}), 2);
  assert.equal(parseParallel({ parallel: true }, {}, 8), 8);
  assert.equal(parseParallel({ parallel: false }, { CM_PARALLEL: '4' }), 1, '--parallel- wins too');
  assert.equal(parseParallel({}, { CM_PARALLEL: '6' }), 6);
  assert.equal(parseParallel({}, { MLC_PARALLEL: '5', CM_PARALLEL: '' }), 5);
  assert.equal(parseParallel({}, { MLC_PARALLEL: '5', CM_PARALLEL: '5' }), 5);
  assert.equal(parseParallel({ parallel: '2' }, { CM_PARALLEL: 'abc' }), 2, 'the flag wins');
});

test('0, -3, abc, 1.5 and an empty value are refused, naming the value and where it came from', () => {
  const table: Array<[Record<string, unknown>, Record<string, string>, RegExp]> = [
    [{ parallel: '0' }, {}, /^--parallel must be a whole number .* not "0"$/],
    [{ parallel: '-3' }, {}, /not "-3"$/],
    [{ parallel: 'abc' }, {}, /not "abc"$/],
    [{ parallel: '1.5' }, {}, /not "1\.5"$/],
    [{ parallel: 1.5 }, {}, /not 1\.5$/],
    [{ parallel: '' }, {}, /not ""$/],
    [{ parallel: ['2'] }, {}, /not \["2"\]$/],
    [{}, { CM_PARALLEL: '0' }, /^CM_PARALLEL must be .* not "0"$/],
    [{}, { MLC_PARALLEL: 'many' }, /^MLC_PARALLEL must be .* not "many"$/],
    [{}, { CM_PARALLEL: '2', MLC_PARALLEL: '3' }, /^CM_PARALLEL=2 and MLC_PARALLEL=3 disagree$/],
  ];
  for (const [input, env, message] of table)
    assert.throws(
      () => parseParallel(input, env),
      (e: unknown) => {
        assert.ok(e instanceof CmError);
        assert.equal(e.code, 'bad-input');
        assert.match(e.message, message);
        assert.ok(e.hint && e.hint.length > 0);
        return true;
      },
      JSON.stringify([input, env]),
    );
  assert.throws(() => parseParallel({ parallel: 'x' }, {}), { hint: /--parallel=4 runs up to 4/ });
});
