import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBound, explainNoCandidate, type CandidateOutcome } from './candidates.js';

test('a bound reads as the comparison it asks for', () => {
  const cases: Array<[Parameters<typeof describeBound>[0], string]> = [
    [{ version_min: '99' }, '>= 99'],
    [{ version_max: '3.10' }, '<= 3.10'],
    [{ version_min: '3.8', version_max: '3.10' }, '>= 3.8 and <= 3.10'],
    [{ version: '3.9.1', version_min: '3' }, '== 3.9.1'],
    [{}, ''],
  ];
  for (const [bound, text] of cases) assert.equal(describeBound(bound), text);
});

test('one message: the versions found (one clause per version), those that could not run summed up', () => {
  const shims = ['6', '7', '8', '9', '10', '12'].map((v): CandidateOutcome => ({
    kind: 'failed',
    file: `/root/.pyenv/shims/python3.${v}`,
    reason: 'exit status 1',
  }));
  const outcomes: CandidateOutcome[] = [
    { kind: 'version', file: '/root/.pyenv/shims/python3', version: '3.11.7' },
    ...shims,
    { kind: 'version', file: '/root/.pyenv/shims/python3.11', version: '3.11.7' },
    { kind: 'version', file: '/usr/bin/python3', version: '3.11.2' },
  ];
  const r = explainNoCandidate('python3', { version_min: '99' }, outcomes);
  assert.equal(
    r.error,
    'no python3 satisfies >= 99: found 3.11.7 (/root/.pyenv/shims/python3, /root/.pyenv/shims/python3.11), ' +
      '3.11.2 (/usr/bin/python3); 6 more in /root/.pyenv/shims could not be run ' +
      '(exit status 1: python3.6, python3.7, python3.8, python3.9, …)',
  );
  assert.match(r.hint, /install a python3 that satisfies >= 99/);
});

test('no bound, nothing that runs: "no usable", and what to try', () => {
  const r = explainNoCandidate('gcc', {}, [
    { kind: 'incompatible', file: '/usr/bin/gcc' },
    { kind: 'failed', file: '/opt/gcc', reason: 'exit status 2' },
  ]);
  assert.equal(
    r.error,
    'no usable gcc: 1 in /opt could not be run (exit status 2: gcc); 1 not usable as gcc (/usr/bin/gcc)',
  );
  assert.equal(r.hint, 'run /opt/gcc by hand to see why it fails');
});
