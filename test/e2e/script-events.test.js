// The engine's typed events through the library API: a run emits `script` events (start,
// native, cache-hit, dep-skipped ...) as data, which the CLI draws as the indented lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCm } from '../../dist/index.js';
import { scriptSandbox } from './script-fixtures.js';

test('a run emits typed script events: start, dep-skipped, native; a re-run cache-hit', async () => {
  const s = scriptSandbox({
    leaf: {
      meta: { tags: ['leaf'], cache: true, new_env_keys: ['LEAF'] },
      run: 'echo LEAF=1 > tmp-run-env.out',
    },
    never: { meta: { tags: ['never'] }, run: 'exit 1' },
    root: {
      meta: {
        tags: ['root'],
        deps: [{ tags: 'leaf' }, { tags: 'never', enable_if_env: { WANT_NEVER: ['yes'] } }],
      },
      run: 'true',
    },
  });
  const events = [];
  const cm = createCm({
    env: { ...process.env, CM_REPOS: s.home },
    cwd: s.dir,
    onEvent: (e) => events.push(e),
  });
  const steps = () => events.filter((e) => e.type === 'script').map((e) => [e.depth, e.step.kind]);
  const first = await cm.access({ action: 'run', automation: 'script', tags: 'root', quiet: true });
  assert.equal(first.return, 0, first.error);
  assert.deepEqual(steps(), [
    [0, 'start'],
    [1, 'start'],
    [1, 'native'],
    [0, 'dep-skipped'],
    [0, 'native'],
  ]);
  const skipped = events.find((e) => e.type === 'script' && e.step.kind === 'dep-skipped');
  assert.equal(skipped.step.tags, 'never');
  assert.match(skipped.step.reason, /WANT_NEVER/);
  assert.equal(events.filter((e) => e.type === 'info' && /cm run script/.test(e.text)).length, 0);
  events.length = 0;
  const again = await cm.access({ action: 'run', automation: 'script', tags: 'root', quiet: true });
  assert.equal(again.return, 0, again.error);
  assert.deepEqual(steps(), [
    [0, 'start'],
    [1, 'start'],
    [1, 'cache-hit'],
    [0, 'dep-skipped'],
    [0, 'native'],
  ]);
  // The CLI draws the same steps as the reference's lines.
  const r = await s.run('root');
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^\* cm run script "root"\n {2}\* cm run script "leaf"\n {4}! load .*cm-cached-state\.json\n {2}! cd /m,
  );
  assert.doesNotMatch(r.stderr, /skipped dep/);
  s.cleanup();
});
