// `cm docker script` with a real Podman (spec docker.md §11, scenarios 12–15): an image built from a
// locally made Debian base and run; not rebuilt when nothing changed; a detached and an attached
// run of a script that fails with 7 (streamed, reported, no container left, no fallback shell); a
// token that the build uses and no layer keeps; detect-os inside; and a frozen `get python3`
// inside the container, locked there first. Skipped, saying why, where Podman cannot run.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_IMAGE, podman, podmanEnv } from './podman-env.js';
import { root, sandbox } from './helpers.js';

const catalog = join(root, 'test', 'fixtures', 'docker-catalog');
const engine = podmanEnv();
const BASE = ['--engine=podman', `--docker_base_image=${BASE_IMAGE}`, '--docker_os=debian'];

async function setup() {
  const s = sandbox('cm-podman-');
  const conf = {
    CONTAINERS_CONF: engine.env.CONTAINERS_CONF,
    CONTAINERS_STORAGE_CONF: engine.env.CONTAINERS_STORAGE_CONF,
  };
  const docker = (...args) => s.cmWith(conf, 'docker', 'script', ...args, ...BASE);
  assert.equal((await s.cm('import', 'repo', `--path=${catalog}`, '-s')).code, 0);
  return { s, docker };
}

const lines = (text) => text.split('\n').filter((l) => /dk-echo: line \d/.test(l));

describe('cm docker script with Podman', { skip: engine.skip, concurrency: 1 }, () => {
  test('12: built and run; not rebuilt when nothing changed; --docker_rebuild rebuilds', async () => {
    const { docker } = await setup();
    const first = await docker('dk echo', '-j');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.json().built, true);
    assert.equal(lines(first.stderr + first.stdout).length, 3, 'the script ran in the container');
    const again = await docker('dk echo', '-j');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().built, false);
    assert.doesNotMatch(again.stderr, /STEP 1\//, 'no build started');
    assert.equal(again.json().image_id, first.json().image_id);
    assert.match(again.stderr, /was built from this context: not rebuilt/);
    const rebuilt = await docker('dk echo', '--docker_rebuild', '-j');
    assert.equal(rebuilt.json().built, true);
    const noCache = await docker('dk echo', '--docker_cache=no', '--dockerfile-only', '-j');
    assert.ok(noCache.json().build_cmd.includes('--no-cache'));
  });

  test('13: detached: the log streamed, the status reported, no container left', async () => {
    const { docker } = await setup();
    const r = await docker('dk echo _fail', '--docker_dt');
    assert.notEqual(r.code, 0);
    assert.equal(lines(r.stderr).length >= 3, true, r.stderr);
    assert.match(r.stderr, /exit status = 7/);
    assert.match(r.stderr, /the script failed in the container \(exit status 2\)/);
    // Podman matches an ancestor by its full name only.
    const image = 'localhost/local/cm-script-dk-echo-fail:localhost-cm-test-base-bookworm-latest';
    assert.ok(podman(engine.env, 'images', '-q', image).out, 'the image exists');
    assert.equal(podman(engine.env, 'ps', '-a', '-q', '--filter', `ancestor=${image}`).out, '');
    const kept = await docker('dk echo _fail', '--docker_dt', '--docker_keep');
    assert.notEqual(kept.code, 0);
    const left = podman(engine.env, 'ps', '-a', '-q', '--filter', `ancestor=${image}`).out;
    assert.notEqual(left, '', '--docker_keep keeps it');
    podman(engine.env, 'rm', '-f', ...left.split('\n'));
  });

  test('14: attached and interactive without a terminal: the failure comes back, no shell', async () => {
    const { docker } = await setup();
    const r = await docker('dk echo _fail', '--docker_it');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /exit status = 7/);
    assert.ok(!r.json || !/\|\| bash/.test(r.stderr));
  });

  test('15: the token reaches the build and no layer or history keeps it', async () => {
    const { docker } = await setup();
    const r = await docker(
      'dk echo',
      '--docker_gh_token=SECRET123',
      '--docker_real_run',
      '--docker_image_name=cm-token-test',
      // A new step line (the layer cache does not look at secrets): the build step runs again.
      `--env.CM_DK_NONCE=${Date.now()}`,
      '-j',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /GH_TOKEN has 9 characters/, 'the build step got it');
    assert.ok(!r.stdout.includes('SECRET123') && !r.stderr.includes('SECRET123'));
    const image = r.json().image;
    const history = podman(engine.env, 'history', '--no-trunc', image);
    assert.ok(history.ok, history.out);
    assert.ok(!history.out.includes('SECRET123'), 'not in the history');
    assert.ok(
      !podman(engine.env, 'image', 'inspect', image).out.includes('SECRET123'),
      'not in the config',
    );
    const saved = podman(
      engine.env,
      'image',
      'save',
      image,
      '-o',
      join(r.json().context, 'image.tar'),
    );
    assert.ok(saved.ok, saved.out);
    assert.ok(
      !readFileSync(join(r.json().context, 'image.tar')).includes('SECRET123'),
      'not in any layer',
    );
  });

  test('detect-os and a frozen get python3 inside the container', async () => {
    const { s, docker } = await setup();
    const os = await docker('detect os');
    assert.equal(os.code, 0, os.stderr);
    assert.match(os.stderr, /\* cm run script "detect os"/);
    const locked = await docker('get python3', `--lock=${join(s.dir, 'py.lock.json')}`);
    assert.equal(locked.code, 0, locked.stderr);
    const lock = JSON.parse(readFileSync(join(s.dir, 'py.lock.json'), 'utf8'));
    const version = lock.tree.version;
    assert.match(version, /^3\.\d+\.\d+$/, 'written in the container, through the mount');
    const frozen = await docker('get python3', '--frozen=py.lock.json');
    assert.equal(frozen.code, 0, frozen.stderr);
    assert.match(frozen.stderr, new RegExp(`Python version: ${version.replace(/\./g, '\\.')}`));
    lock.tree.version = '3.11.99';
    writeFileSync(join(s.dir, 'drift.lock.json'), JSON.stringify(lock, null, 2));
    const drift = await docker('get python3', '--frozen=drift.lock.json');
    assert.notEqual(drift.code, 0);
    assert.match(
      drift.stderr,
      new RegExp(`get-python3: version 3\\.11\\.99 → ${version.replace(/\./g, '\\.')}`),
    );
  });
});
