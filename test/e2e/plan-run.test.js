// End-to-end: plan = run. Over every script of both fixture catalogs (test/fixtures/cm-catalog,
// test/fixtures/mlc-catalog), `--dry-run -j` gives the same tree as the real run that follows it
// in the same sandbox: script uid, variations, version, the order of deps, the skipped ones. Where
// a dep's condition reads a key that only a hook or a native script sets, the plan says so
// ("depends on run-time value CM_X") and that node is accepted whatever the run did.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { zipSync } from 'fflate';
import { spawnSync } from 'node:child_process';
import { parallel, sandbox } from './helpers.js';
import { catalogWithPythons, scriptSandbox } from './script-fixtures.js';

/** What a planned status becomes in the run. */
const RUN_STATUS = { 'will-run': 'ran', 'will-reuse': 'cached' };

const variationsOf = (n) => (n.variations ?? []).map((v) => v.name).join(',');

const REWRITTEN = /^may change at run time: /;

/** Planned deps that a hook may rewrite, as found by assertSameNode. */
const rewritten = [];

/** Assert the planned node `p` and the executed node `r` agree; `at` names the place. */
function assertSameNode(p, r, at) {
  if (p.status === 'depends') {
    assert.match(p.reason, /^depends on run-time value [A-Z]/, `${at}: ${p.reason}`);
    return;
  }
  const where = `${at} (${p.script ?? p.tags})`;
  // A dep that the hooks of its parent may rewrite (update_deps): the plan says so.
  if (REWRITTEN.test(p.reason ?? '')) {
    rewritten.push(`${where}: ${p.reason}`);
    return;
  }
  // A preprocess hook that skips its script (or runs another instead) is not run by the plan,
  // which says that it may.
  if (
    /^may be skipped at run time: /.test(p.reason ?? '') &&
    r.status === 'skipped' &&
    /^preprocess /.test(r.reason ?? '')
  ) {
    assert.equal(p.uid, r.uid, `${where}: uid`);
    return;
  }
  assert.equal(RUN_STATUS[p.status] ?? p.status, r.status, `${where}: status`);
  assert.equal(p.script, r.script, `${where}: script`);
  assert.equal(p.uid, r.uid, `${where}: uid`);
  assert.equal(p.tags, r.tags, `${where}: tags`);
  assert.equal(variationsOf(p), variationsOf(r), `${where}: variations`);
  // A version the plan does not give is detected by the run (a hook or run.sh computes it).
  if (p.version !== undefined || !RUN_STATUS[p.status])
    assert.equal(p.version, r.version, `${where}: version`);
  if (p.status === 'skipped') assert.equal(p.reason, r.reason, `${where}: why skipped`);
  // The deps in order (by tags, but for one a hook may rewrite: that one is checked below).
  const tagsOf = (deps, plan) =>
    deps.map((d, i) => (REWRITTEN.test(plan[i]?.reason ?? '') ? '(rewritten)' : d.tags));
  assert.deepEqual(tagsOf(p.deps, p.deps), tagsOf(r.deps, p.deps), `${where}: deps in order`);
  p.deps.forEach((d, i) => assertSameNode(d, r.deps[i], `${at}/${i}`));
}

/** The run tree of a `-j` result (the root node). */
const treeOf = (out) => {
  assert.ok(out.tree, `a tree in ${Object.keys(out).join(',')}`);
  return out.tree;
};

/** Plan, then run, each case in the same sandbox; every script of the catalog is a root once. */
async function planEqualsRun(s, cases) {
  const roots = new Set();
  const depends = [];
  for (const args of cases) {
    const plan = treeOf(await s.runJ(...args, '--dry-run'));
    const run = treeOf(await s.runJ(...args));
    assertSameNode(plan, run, args.join(' '));
    roots.add(run.script);
    const walk = (n) => {
      if (n.status === 'depends') depends.push(`${args[0]}: ${n.tags}: ${n.reason}`);
      n.deps.forEach(walk);
    };
    walk(plan);
  }
  const all = readdirSync(join(s.repo, 'script')).sort();
  assert.deepEqual([...roots].sort(), all, 'every script of the catalog is planned and run');
  return depends;
}

describe('plan = run', parallel, () => {
  test('every script of the cm4mlops-style catalog', async () => {
    const { s } = await catalogWithPythons('cm-catalog');
    const unix = (mode) => ({ os: 3, attrs: (mode << 16) >>> 0 });
    const zip = join(s.dir, 'pkg.zip');
    writeFileSync(
      zip,
      zipSync({
        'pkg-1.0/bin/tool': [new TextEncoder().encode('#!/bin/sh\necho ok\n'), unix(0o755)],
      }),
    );
    const depends = await planEqualsRun(s, [
      ['detect host-os'],
      ['get python3'],
      ['get python3', '--version_min=3.10'],
      ['install python3 fake-src', '--env.CM_PYTHON_INSTALL_WANTED_VERSION=3.12.1'],
      ['get generic-python-lib _numpy'],
      ['get generic-python-lib _package.onnx'],
      ['get ml-model fake'],
      ['get dataset fake-dataset'],
      ['get dataset fake-dataset _full'],
      ['get fakecc'],
      ['get fakecc', '--version=1.0.0'],
      ['get fake-tool prebuilt'],
      ['install fake-tool'],
      ['install fake-tool', '--prebuilt=yes'],
      ['install fake-tool', `--existing=${zip}`],
      ['get fake-archive', `--url=${pathToFileURL(zip).href}`],
      ['get sut-description', '--hw_name=Box'],
      ['check system requirements', '--available_gb=32', '--required_gb=20'],
      ['print hello-mlc', '--name=Ada'],
      ['print run-report'],
      ['run benchmark fake-benchmark'],
      ['run benchmark fake-benchmark', '--adr.ml-model.tags=_pytorch'],
      ['app image-classification'],
    ]);
    // The model whose tags the app's preprocess picks (update_deps), and the one dep whose
    // condition only get-python3's preprocess decides.
    assert.ok(
      rewritten.some((r) => /get-ml-model-fake\): may change at run time: .*update_deps/.test(r)),
      rewritten.join('\n'),
    );
    assert.ok(
      depends.some((d) =>
        /install,python3,fake-src: depends on run-time value CM_REQUIRE_INSTALL/.test(d),
      ),
      depends.join('\n'),
    );
  });

  test('every script of the mlperf-automations-style catalog', async () => {
    const { s } = await catalogWithPythons('mlc-catalog');
    await planEqualsRun(s, [
      ['detect host-info mlc-fixture'],
      ['find cached-python mlc-fixture'],
      ['get python-interp mlc-fixture'],
      ['get python-interp mlc-fixture', '--version_min=3.10'],
      ['find cached-python mlc-fixture'],
      ['get python-package mlc-fixture _numpy'],
      ['get python-package mlc-fixture _package.numpy', '--adr.python.version_min=3.10'],
      ['get python-package mlc-fixture _numpy _extra-index', '--pkg_version=9.9'],
      ['run native-helper mlc-fixture'],
      ['app mlc-report mlc-fixture'],
      ['app mlc-report mlc-fixture _fancy', '--version=2.0'],
      ['app mlc-report mlc-fixture _pinned'],
    ]);
  });

  test('no cycle is planned or met where the reference runs (get-llvm <-> get-compiler-flags)', async () => {
    // As in cm4mlops: a compiler's post dep get-compiler-flags asks for "get,compiler" unless
    // CM_C_COMPILER_BIN is set, which the compiler's own hook sets before its post deps run.
    const s = scriptSandbox({
      'fake-llvm': {
        meta: {
          tags: ['get', 'compiler', 'fake-llvm'],
          new_env_keys: ['CM_C_COMPILER_*'],
          post_deps: [{ tags: 'get,compiler-flags' }],
        },
        customize: `export function preprocess(i) { i.env.CM_C_COMPILER_BIN = 'clang'; return { return: 0 }; }`,
      },
      'fake-compiler-flags': {
        meta: {
          tags: ['get', 'compiler-flags'],
          deps: [
            {
              tags: 'get,compiler',
              names: ['compiler'],
              skip_if_env: { CM_C_COMPILER_BIN: ['on'] },
            },
          ],
        },
      },
    });
    const run = await s.runJ('get compiler');
    assert.equal(run.tree.deps[0].script, 'fake-compiler-flags');
    const plan = await s.runJ('get compiler', '--dry-run');
    assertSameNode(plan.tree, run.tree, 'get compiler');
    const dep = plan.tree.deps[0].deps[0];
    assert.deepEqual(
      [dep.status, dep.reason],
      ['depends', 'depends on run-time value CM_C_COMPILER_BIN'],
    );
    const text = await s.run('get compiler', '--dry-run');
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout + text.stderr,
      /"get,compiler"\s+\[depends on run-time value CM_C_COMPILER_BIN\]/,
    );
    // With the flags as the root, the compiler's post dep comes back to them below themselves;
    // their "get,compiler" is skipped then (the reference runs it so): no cycle, plan = run.
    const flags = await s.runJ('get compiler-flags');
    assert.deepEqual(
      [flags.tree.deps[0].script, flags.tree.deps[0].deps[0].script],
      ['fake-llvm', 'fake-compiler-flags'],
    );
    assert.equal(flags.tree.deps[0].deps[0].deps[0].status, 'skipped');
    assertSameNode((await s.runJ('get compiler-flags', '--dry-run')).tree, flags.tree, 'flags');
    s.cleanup();
  });

  test('the built-in scripts that run offline', async () => {
    const s = sandbox('cm-plan-run-');
    const cases = ['detect os', 'detect cpu', 'detect sudo'];
    // get-gcc's post dep get-compiler-flags asks for "get,compiler" unless the hook set the compiler.
    if (spawnSync('gcc', ['--version']).status === 0) cases.push('get gcc');
    for (const tags of cases) {
      const runJ = async (...args) => {
        const r = await s.cm('run', 'script', tags, ...args, '-j', '-s', '--quiet');
        assert.equal(r.code, 0, `${tags}: ${r.stderr}`);
        return treeOf(r.json());
      };
      const plan = await runJ('--dry-run');
      assertSameNode(plan, await runJ(), tags);
    }
    s.cleanup();
  });
});
