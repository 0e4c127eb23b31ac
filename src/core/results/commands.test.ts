import { test } from 'node:test';
import assert from 'node:assert/strict';
import { originalCommand, replayCommand } from './commands.js';

test('rebuilds the cm run experiment command of a run from its input', () => {
  const input = {
    action: 'run',
    automation: 'experiment',
    tags: 'sweep,demo',
    explore: { A: '[1,2,3]' },
    unparsed_cmd: ['echo', 'A={{A}}', 'hello world'],
  };
  assert.equal(
    originalCommand(input),
    "cm run experiment --tags=sweep,demo '--explore.A=[1,2,3]' -- echo 'A={{A}}' 'hello world'",
  );
  assert.equal(originalCommand({ action: 'replay' }), undefined);
});

test('the replay command names the run and, when given, the result', () => {
  assert.equal(replayCommand('x', 'r1', 'u1'), 'cm replay experiment x --dir=r1 --uid=u1');
  assert.equal(replayCommand('x', 'r1'), 'cm replay experiment x --dir=r1');
});
