import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mlcrArgs } from './mlc.js';

test('mlcr: the first word that is not a flag or an @input file is the tags', () => {
  assert.deepEqual(mlcrArgs(['get,python3,_venv', '-j']), ['--tags=get,python3,_venv', '-j']);
  assert.deepEqual(mlcrArgs(['get python3']), ['--tags=get,python3']);
  assert.deepEqual(mlcrArgs(['@in.json', '-j', 'detect,os']), [
    '@in.json',
    '-j',
    '--tags=detect,os',
  ]);
  assert.deepEqual(mlcrArgs(['--tags=a', 'x']), ['--tags=a', 'x']);
  assert.deepEqual(mlcrArgs(['-j', '--', 'x']), ['-j', '--', 'x']);
});
