import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  flagKeys,
  globalKeys,
  unknownFlagError,
  unknownFlags,
  unusedFlagWarning,
} from './flags.js';

test('reads the input keys from the shown form of a flag', () => {
  const cases: Array<[string, string[]]> = [
    ['--tags=a,b,-c', ['tags']],
    ['-f, --force', ['f', 'force']],
    ['--env.KEY=V', ['env']],
    ['--dry-run', ['dry_run']],
    ['--mirrors,=URL2,URL3', ['mirrors']],
    ['--md5sum=HEX / --sha256=HEX', ['md5sum', 'sha256']],
    ['-s, -v, --quiet', ['s', 'v', 'quiet']],
    ['"TAGS _VARIATION"', []],
    ['@input.json|yaml', []],
  ];
  for (const [shown, keys] of cases) assert.deepEqual(flagKeys(shown), keys, shown);
});

test('global keys include output, verbosity and the words of the command', () => {
  for (const k of ['j', 'json', 'out', 's', 'silent', 'v', 'debug', 'help', 'h', 'cmd', 'artifact'])
    assert.ok(globalKeys().includes(k), k);
});

test('an unknown flag gets the nearest declared flag as its did-you-mean', () => {
  const u = unknownFlags(['tag', 'j', 'uid'], ['tags', 'uid']);
  assert.deepEqual(u, [{ key: 'tag', near: ['tags'] }]);
  const e = unknownFlagError(u, 'cm find dataset');
  assert.equal(e.code, 'unknown-flag');
  assert.equal(e.returnCode, 1);
  assert.equal(e.message, 'unknown flag --tag for cm find dataset');
  assert.equal(e.hint, 'did you mean --tags?');
});

test('several unknown flags are named together; one without a near name points to --help', () => {
  const e = unknownFlagError(unknownFlags(['tag', 'xyzzy'], ['tags']), 'cm find dataset');
  assert.equal(e.message, 'unknown flags --tag, --xyzzy for cm find dataset');
  assert.equal(
    e.hint,
    '--tag: did you mean --tags?\nrun "cm find dataset --help" to see the flags it takes',
  );
});

test('the warning of an unused flag names it and its nearest flag', () => {
  const [u] = unknownFlags(['version_mn'], ['version', 'version_min', 'version_max']);
  assert.equal(
    unusedFlagWarning(u!),
    '--version_mn is used by nothing in this run (did you mean --version_min?)',
  );
  assert.equal(unusedFlagWarning({ key: 'zz', near: [] }), '--zz is used by nothing in this run');
});
