import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../core/errors.js';
import {
  checkExperimentAllowed,
  checkScriptAllowed,
  checkSudo,
  describePolicy,
  resolvePolicy,
  sudoReasons,
} from './policy.js';

test('resolvePolicy: read-only, any script, or tag sets (one per flag)', () => {
  assert.deepEqual(resolvePolicy([], false), {
    allowRun: false,
    allowRunTags: [],
    allowSudo: false,
  });
  assert.deepEqual(resolvePolicy([''], true).allowRunTags, []);
  assert.equal(resolvePolicy([''], true).allowRun, true);
  assert.deepEqual(resolvePolicy(['detect,os', 'get, python3'], false).allowRunTags, [
    ['detect', 'os'],
    ['get', 'python3'],
  ]);
  // A bare --allow-run next to a tag set: any script.
  assert.deepEqual(resolvePolicy(['detect,os', true], false).allowRunTags, []);
  assert.throws(() => resolvePolicy(['get,_venv'], false), CmError);
});

test('checkScriptAllowed: the script must have every tag of one allowed set', () => {
  const p = resolvePolicy(['detect,os', 'python3'], false);
  checkScriptAllowed(p, 'detect-os', ['detect', 'os', 'detect-os']);
  checkScriptAllowed(p, 'get-python3', ['get', 'python3']);
  assert.throws(() => checkScriptAllowed(p, 'detect-cpu', ['detect', 'cpu']), /not allowed/);
  assert.throws(() => checkScriptAllowed(resolvePolicy([], false), 'x', ['x']), /read-only/);
});

test('sudoReasons: a node tagged sudo, a run script calling sudo (comments aside)', () => {
  const reasons = sudoReasons([
    { script: 'a', tags: ['detect', 'sudo'], runScripts: {} },
    {
      script: 'b',
      tags: ['b'],
      runScripts: { 'run.sh': '#!/bin/bash\n# sudo is not needed\necho hi\n' },
    },
    {
      script: 'c',
      tags: ['c'],
      runScripts: { 'run-ubuntu.sh': 'set -e\nsudo apt-get install -y x\n' },
    },
    { script: 'd', tags: ['d'], runScripts: { 'run.sh': 'echo pseudo thing; x && sudo  ls\n' } },
  ]);
  assert.deepEqual(reasons, [
    'a is tagged sudo',
    'c/run-ubuntu.sh runs sudo',
    'd/run.sh runs sudo',
  ]);
  assert.throws(() => checkSudo(resolvePolicy([''], false), reasons), /needs sudo/);
  checkSudo(resolvePolicy([''], true), reasons);
  checkSudo(resolvePolicy([''], false), []);
});

test('checkExperimentAllowed: only bare --allow-run allows run_experiment', () => {
  checkExperimentAllowed(resolvePolicy([''], false));
  checkExperimentAllowed(resolvePolicy(['detect,os', true], false));
  assert.throws(() => checkExperimentAllowed(resolvePolicy([], false)), /read-only/);
  assert.throws(
    () => checkExperimentAllowed(resolvePolicy(['detect,os'], false)),
    /only scripts tagged detect,os, and an experiment's command can be anything/,
  );
  assert.match(describePolicy(resolvePolicy([], false)), /run_experiment are refused/);
  assert.match(describePolicy(resolvePolicy([''], false)), /run_experiment allowed/);
  assert.match(describePolicy(resolvePolicy(['x'], false)), /run_experiment refused/);
});
