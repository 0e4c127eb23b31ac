import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCmError } from '../errors.js';
import {
  parseExperimentPush,
  parsePulledExperiment,
  parseResultsPush,
  resultUidProblem,
  runDirProblem,
} from './push-protocol.js';

const UID = '0123456789abcdef';

function refused(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e) => isCmError(e) && e.code === 'bad-input' && pattern.test(e.message));
}

test('run folder names that could leave the experiment folder are refused', () => {
  assert.equal(runDirProblem('2024-01-01.10-00-00.000000'), undefined);
  for (const bad of ['..', '../x', 'a/b', 'a\\b', '.hidden', '', 'x..y', 'a\u0000'])
    assert.notEqual(runDirProblem(bad), undefined, bad);
  assert.notEqual(runDirProblem(7), undefined);
});

test('result uids must be usable as the last part of an _id', () => {
  assert.equal(resultUidProblem("u'; DROP TABLE results; --"), undefined);
  for (const bad of ['', 'a/b', 'x'.repeat(201), 3])
    assert.notEqual(resultUidProblem(bad), undefined);
});

test('an experiment push needs a CM uid, a folder-safe alias, string tags and object meta', () => {
  assert.deepEqual(parseExperimentPush({ uid: UID.toUpperCase(), alias: 'a', tags: ['x'] }), {
    uid: UID,
    alias: 'a',
    tags: ['x'],
    meta: {},
  });
  refused(() => parseExperimentPush({ uid: 'nope' }), /uid must be a CM uid/);
  refused(() => parseExperimentPush({ uid: UID, alias: 'a/b' }), /invalid experiment alias/);
  refused(() => parseExperimentPush({ uid: UID, alias: 'a,b' }), /invalid experiment alias/);
  refused(() => parseExperimentPush({ uid: UID, tags: 'x' }), /tags must be a list/);
  refused(() => parseExperimentPush({ uid: UID, meta: [] }), /meta must be a JSON object/);
  refused(() => parseExperimentPush({ uid: UID, meta: { password_hash: 1 } }), /password_hash/);
});

test('a results push names its row when one is not an object or has a bad uid', () => {
  const ok = parseResultsPush({ experiment_uid: UID, dir: 'd', started: 's', rows: [{ a: 1 }] });
  assert.deepEqual(ok, { experiment_uid: UID, dir: 'd', started: 's', rows: [{ a: 1 }] });
  refused(
    () => parseResultsPush({ experiment_uid: UID, dir: '..', rows: [] }),
    /invalid run folder/,
  );
  refused(() => parseResultsPush({ experiment_uid: UID, dir: 'd', rows: [1] }), /rows\[0\] is not/);
  refused(
    () => parseResultsPush({ experiment_uid: UID, dir: 'd', rows: [{}, { uid: 'a/b' }] }),
    /rows\[1\]\.uid/,
  );
  refused(() => parseResultsPush({ experiment_uid: UID, dir: 'd', input: 3, rows: [] }), /input/);
});

test('a pulled experiment is checked before any folder is made from it', () => {
  const e = parsePulledExperiment({
    uid: UID,
    alias: 'a',
    tags: [],
    meta: {},
    runs: [{ dir: 'r1', results: 2, input: { x: 1 } }],
  });
  assert.deepEqual(e.runs, [{ dir: 'r1', results: 2, input: { x: 1 } }]);
  refused(
    () => parsePulledExperiment({ uid: UID, alias: 'a', runs: [{ dir: '../../etc' }] }),
    /run folder named/,
  );
});
