import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../../errors.js';
import { parseObjectives } from './objectives.js';

const GOOD: Array<[unknown, Array<[string, 'min' | 'max']>]> = [
  [
    'time:min,size:min',
    [
      ['time', 'min'],
      ['size', 'min'],
    ],
  ],
  [' acc : max ', [['acc', 'max']]],
  ['time', [['time', 'min']]],
  [
    ['time:min', 'run.accuracy:max'],
    [
      ['time', 'min'],
      ['run.accuracy', 'max'],
    ],
  ],
  ['a:b:max', [['a:b', 'max']]],
];

for (const [written, expected] of GOOD)
  test(`reads objectives ${JSON.stringify(written)} in order`, () => {
    assert.deepEqual(
      parseObjectives(written, '--objectives'),
      expected.map(([key, goal]) => ({ key, goal })),
    );
  });

const BAD: Array<[unknown, string[]]> = [
  ['time:fast', ['"time:fast" has goal "fast", not min or max']],
  ['time:mim', ['did you mean "min"?']],
  ['time:min,time:max', ['"time" is given twice']],
  [':min,size:big', ['":min" names no result key', '"size:big" has goal "big"']],
  ['', ['"" names no result key']],
  [[], ['--objectives names no objective']],
  [[3], ['--objectives[0] must be a string']],
  [{ time: 'min' }, ['--objectives must be a list']],
];

for (const [written, messages] of BAD)
  test(`rejects objectives ${JSON.stringify(written)}, saying why`, () => {
    assert.throws(
      () => parseObjectives(written, '--objectives'),
      (e: unknown) => {
        assert.ok(e instanceof CmError);
        assert.equal(e.code, 'bad-input');
        for (const m of messages) assert.ok(e.message.includes(m), `${e.message} lacks ${m}`);
        assert.ok(e.hint);
        return true;
      },
    );
  });
