// End-to-end: a fixture repo of scripts written in the style of the cm4mlops catalog
// (test/fixtures/cm-catalog), registered with `cm import repo` and run through the real CLI.
// Fake python3 interpreters (shell scripts with a site-packages folder) stand in for real ones.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel } from './helpers.js';
import { catalogSandbox, catalogWithPythons } from './script-fixtures.js';

/** A sandbox with the catalog imported; `s.fakePython(name, version, pkgs)` makes PREFIX/bin/python3. */
const catalog = () => catalogSandbox('cm-catalog');

const withPythons = () => catalogWithPythons('cm-catalog');

describe('cm4mlops-style catalog', parallel, () => {
  test('detect-host-os: Python hooks around uname, state keys exported, temp file removed', async () => {
    const s = await catalog();
    const r = await s.runJ('detect host-os');
    const env = r.new_env;
    assert.equal(env.CM_FIX_HOST_OS_TYPE, 'linux');
    assert.equal(env.CM_FIX_HOST_OS_NAME, 'linux');
    assert.equal(env.CM_FIX_HOST_OS_PYTHON_SYSTEM, 'linux');
    assert.equal(env.CM_FIX_HOST_OS_BITS, '64');
    assert.equal(env.CM_FIX_HOST_OS_UNAME_CLEANED, 'yes');
    assert.ok(env.CM_FIX_HOST_PLATFORM_FLAVOR);
    assert.equal(env.CM_FIX_HOST_PLATFORM_FLAVOR, env.CM_FIX_HOST_OS_MACHINE);
    assert.ok(!('CM_FIX_HOST_OS_NAME_RAW' in env), 'popped by postprocess');
    assert.match(r.new_state.fix_os_uname_all, /^Linux /);
    assert.equal(r.new_state.fix_os_uname_machine, env.CM_FIX_HOST_OS_MACHINE);
    s.cleanup();
  });

  test('get-python3: find_artifact detects every candidate; version constraints pick one', async () => {
    const { s, a, b } = await withPythons();
    const first = await s.runJ('get python3');
    assert.equal(first.new_env.CM_PYTHON_BIN_WITH_PATH, join(a, 'bin', 'python3'));
    assert.equal(first.new_env.CM_PYTHON_VERSION, '3.9.7');
    assert.equal(first.new_env.CM_PYTHON_MINOR_VERSION, '9');
    assert.equal(first.new_env.CM_PYTHON_FOUND_BY, 'find_artifact');
    assert.equal(first.new_env.CM_PYTHON_CACHE_TAGS, 'version-3.9.7,non-virtual');
    assert.equal(first.version, '3.9.7');

    const min = await s.runJ('get python3', '--version_min=3.10', '--version_max=3.11.9');
    assert.equal(min.new_env.CM_PYTHON_BIN_WITH_PATH, join(b, 'bin', 'python3'));
    assert.equal(min.new_env.CM_PYTHON_VERSION, '3.11.4');
    assert.equal(min.new_env.CM_PYTHON_PATCH_VERSION, '4');
    assert.notEqual(min.cache_entry, first.cache_entry);
    const meta = JSON.parse(readFileSync(join(min.cache_entry, '_cm.json'), 'utf8'));
    assert.ok(meta.tags.includes('version-3.11.4'), meta.tags.join(','));

    // Both entries match a run without constraints: one is reused, none is made.
    const again = await s.runJ('get python3');
    assert.ok([first.cache_entry, min.cache_entry].includes(again.cache_entry), again.cache_entry);
    assert.equal(again.new_env.CM_PYTHON_VERSION, again.version);
    s.cleanup();
  });

  test('get-python3 --path: a folder off PATH is searched and exported as +PATH/+C_INCLUDE_PATH', async () => {
    const s = await catalog();
    const c = s.fakePython('pyC', '3.10.2');
    mkdirSync(join(c, 'include'));
    const r = await s.runJ('get python3', '--path=' + join(c, 'bin'));
    assert.equal(r.new_env.CM_PYTHON_BIN_WITH_PATH, join(c, 'bin', 'python3'));
    assert.equal(r.new_env.CM_PYTHON_VERSION, '3.10.2');
    assert.deepEqual(r.new_env['+PATH'], [join(c, 'bin')]);
    assert.deepEqual(r.new_env['+C_INCLUDE_PATH'], [join(c, 'include')]);
    assert.ok(!('+LD_LIBRARY_PATH' in r.new_env), 'no lib folder there');
    s.cleanup();
  });

  test('get-python3: no candidate meets --version, so the prehook dep "installs" one', async () => {
    const { s } = await withPythons();
    const r = await s.runJ('get python3', '--version=3.12.1');
    assert.equal(r.new_env.CM_PYTHON_VERSION, '3.12.1');
    assert.equal(
      r.new_env.CM_PYTHON_BIN_WITH_PATH,
      join(r.cache_entry, 'python-src-install', 'bin', 'python3'),
    );
    assert.ok(!('CM_PYTHON_FOUND_BY' in r.new_env));
    assert.ok(existsSync(r.new_env.CM_PYTHON_BIN_WITH_PATH));
    s.cleanup();
  });

  test('get-generic-python-lib: _package.# detects an installed package and installs a missing one', async () => {
    const { s, b } = await withPythons();
    // numpy lives next to the 3.11 interpreter only.
    const np = await s.runJ(
      'get generic-python-lib _package.numpy',
      '--adr.python.version_min=3.10',
    );
    assert.equal(np.new_env.CM_PYTHONLIB_NUMPY_VERSION, '1.26.4');
    assert.equal(np.new_env.CM_PYTHONLIB_NUMPY_LOCATION, join(b, 'site-packages'));
    assert.equal(np.new_env.CM_PYTHONLIB_NUMPY_CACHE_TAGS, 'version-1.26.4');
    assert.ok(!('CM_GENERIC_PYTHON_PIP_INSTALLED' in np.new_env), 'nothing installed');
    assert.equal(np.version, '1.26.4');
    // extra_cache_tags_from_env: 'deps-' + prefix + each tag (as the reference).
    const meta = JSON.parse(readFileSync(join(np.cache_entry, '_cm.json'), 'utf8'));
    assert.ok(meta.tags.includes('deps-python-version-3.11.4'), meta.tags.join(','));

    const onnx = await s.runJ(
      'get generic-python-lib _package.onnx',
      '--version=1.16.0',
      '--adr.python.version_min=3.10',
    );
    assert.equal(onnx.new_env.CM_GENERIC_PYTHON_PIP_INSTALLED, 'yes');
    assert.equal(onnx.new_env.CM_PYTHONLIB_ONNX_VERSION, '1.16.0');
    assert.equal(readFileSync(join(b, 'site-packages', 'onnx.version'), 'utf8').trim(), '1.16.0');
    s.cleanup();
  });

  test('get-generic-python-lib without a package: _available_variations error', async () => {
    const { s } = await withPythons();
    const r = await s.run('get generic-python-lib');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /python package variation is not defined in "get-generic-python-lib"/);
    assert.match(r.stderr, /_numpy/);
    s.cleanup();
  });

  test('run-benchmark-fake: cmind.access finds the cache entry its model dep made', async () => {
    const s = await catalog();
    const r = await s.runJ('run benchmark fake-benchmark');
    const env = r.new_env;
    assert.ok(existsSync(join(env.CM_FIX_BENCH_MODEL_CACHE_PATH, 'model.onnx')));
    assert.match(env.CM_FIX_BENCH_MODEL_CACHE_TAGS, /(^|,)_onnx(,|$)/);
    assert.match(env.CM_FIX_BENCH_MODEL_CACHE_TAGS, /(^|,)ml-model(,|$)/);
    assert.equal(env.CM_FIX_BENCH_MODEL_CACHE_COUNT, '1');
    // The search sees every repo: the built-in MLPerf model script has these tags too.
    assert.equal(env.CM_FIX_BENCH_MODEL_SCRIPTS, 'get-ml-model-fake,get-ml-model-resnet50');
    const pt = await s.runJ('run benchmark fake-benchmark', '--adr.ml-model.tags=_pytorch');
    assert.ok(existsSync(join(pt.new_env.CM_FIX_BENCH_MODEL_CACHE_PATH, 'model.pth')));
    assert.notEqual(pt.new_env.CM_FIX_BENCH_MODEL_CACHE_PATH, env.CM_FIX_BENCH_MODEL_CACHE_PATH);
    s.cleanup();
  });

  test('get-sut-description: utils.save_json/load_json/load_txt/merge_dicts and a helper module', async () => {
    const s = await catalog();
    const r = await s.runJ('get sut-description', '--hw_name=My Test Box');
    assert.equal(r.new_env.CM_FIX_SUT_NAME, 'my_test_box');
    assert.equal(r.new_env.CM_FIX_SUT_CORES, '4');
    assert.equal(r.new_env.CM_FIX_SUT_OS, 'linux');
    assert.deepEqual(r.new_state.fix_sut, {
      system_name: 'my_test_box',
      host_processor_core_count: 4,
      os: 'linux',
      cm_config: { hw_name: 'my_test_box', os: 'linux' },
    });
    s.cleanup();
  });

  test('app: deps, prehook/posthook/post deps, update_deps from preprocess, <<<VAR>>> in env', async () => {
    const { s } = await withPythons();
    const r = await s.runJ(
      'app image-classification _batch_size.8 _report',
      '--framework=pytorch',
      '--adr.python.version_min=3.10',
    );
    const env = r.new_env;
    assert.equal(env.CM_APP_FRAMEWORK, 'pytorch');
    assert.equal(env.CM_APP_BATCH_SIZE, '8');
    assert.equal(env.CM_APP_OUTPUT_NAME, 'result-pytorch.txt');
    assert.equal(env.CM_APP_MODEL, 'model.pth', 'update_deps added _pytorch to the prehook dep');
    assert.match(
      env.CM_APP_RESULT,
      /^framework=pytorch batch=8 model=.*model\.pth numpy=1\.26\.4$/,
    );
    assert.equal(env.CM_APP_RAN_WITH, 'Python 3.11.4');
    assert.equal(env.CM_APP_PREPROCESSED, 'yes');
    assert.equal(env.CM_APP_POSTHOOK_STAGE, 'posthook', 'posthook dep ran before postprocess');
    assert.equal(env.CM_FIX_REPORT_LINE, 'post:classification-pytorch:pytorch');
    assert.equal(env.CM_FIX_REPORT_TITLE, 'classification-pytorch');
    assert.ok(existsSync(join(s.dir, 'result-pytorch.txt')));

    const bad = await s.run('app image-classification', '--framework=tf');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unsupported framework "tf"/);
    s.cleanup();
  });

  test('get-fake-compiler: cached per version; default_version; versions env; extra cache tags', async () => {
    const s = await catalog();
    const d = await s.runJ('get fakecc');
    assert.equal(d.version, '2.1.0');
    assert.equal(d.new_env.CM_FAKECC_VERSION, '2.1.0');
    assert.deepEqual(d.new_env['+PATH'], [join(d.cache_entry, 'fakecc-2.1.0', 'bin')]);
    const again = await s.runJ('get fakecc');
    assert.equal(again.cache_entry, d.cache_entry);
    assert.equal(readFileSync(join(d.cache_entry, 'build.log'), 'utf8'), 'built 2.1.0\n');
    const old = await s.runJ('get fakecc', '--version=1.0.0');
    assert.notEqual(old.cache_entry, d.cache_entry);
    assert.equal(old.new_env.CM_FAKECC_VERSION, '1.0.0');
    const out = spawnSync(old.new_env.CM_FAKECC_BIN_WITH_PATH, { encoding: 'utf8' }).stdout;
    assert.equal(out.trim(), 'fakecc version 1.0.0 (legacy)');
    const found = await s.cm('find', 'cache', '--tags=get,fakecc,release-legacy');
    assert.equal(found.code, 0, found.stderr);
    assert.match(found.stdout, new RegExp(old.cache_entry.split('/').pop()));
    assert.doesNotMatch(found.stdout, new RegExp(d.cache_entry.split('/').pop()));
    s.cleanup();
  });

  test('check-system-requirements: a hook error stops the run before the native script', async () => {
    const s = await catalog();
    const bad = await s.run('check system requirements', '--available_gb=3');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not enough disk space: 10GB required, 3GB available/);
    assert.ok(!existsSync(join(s.dir, 'requirements-run.log')));
    const ok = await s.runJ('check system requirements', '--available_gb=32', '--required_gb=20');
    assert.deepEqual(ok.new_env, {
      CM_FIX_REQUIREMENTS_OK: 'yes',
      CM_FIX_REQUIREMENTS_SPARE_GB: '12',
    });
    assert.ok(existsSync(join(s.dir, 'requirements-run.log')));
    s.cleanup();
  });

  test('install-fake-tool: builds, skips when present, redirects to the prebuilt script', async () => {
    const s = await catalog();
    const src = await s.runJ('install fake-tool');
    assert.equal(src.new_env.CM_FAKE_TOOL_KIND, 'source');
    const tool = join(s.dir, 'existing-tool');
    writeFileSync(tool, '');
    const skipped = await s.runJ('install fake-tool', '--existing=' + tool);
    assert.equal(skipped.skipped, true);
    assert.equal(readFileSync(join(s.dir, 'tool.log'), 'utf8'), 'install-fake-tool ran\n');
    const pre = await s.runJ('install fake-tool', '--prebuilt=yes');
    assert.equal(pre.new_env.CM_FAKE_TOOL_KIND, 'prebuilt');
    assert.equal(readFileSync(join(s.dir, 'tool.log'), 'utf8'), 'install-fake-tool ran\n');
    s.cleanup();
  });

  test('get-dataset-fake: a hook runs two native scripts; size group with default and size.#', async () => {
    const s = await catalog();
    const small = await s.runJ('get dataset fake-dataset');
    assert.equal(small.new_env.CM_DATASET_SIZE, '4');
    assert.equal(small.new_env.CM_DATASET_FILE_COUNT, '4');
    assert.equal(small.new_env.CM_DATASET_DOWNLOADED, 'yes');
    assert.equal(small.new_env.CM_DATASET_PATH, join(small.cache_entry, 'data'));
    const seven = await s.runJ('get dataset fake-dataset _size.7');
    assert.equal(seven.new_env.CM_DATASET_FILE_COUNT, '7');
    assert.notEqual(seven.cache_entry, small.cache_entry);
    const full = await s.runJ('get dataset fake-dataset _full');
    assert.equal(full.new_env.CM_DATASET_FILE_COUNT, '16');
    s.cleanup();
  });

  test('print-hello-mlc: `from mlc import utils`, input mapping, native and hook state merged', async () => {
    const s = await catalog();
    const r = await s.runJ('print hello-mlc', '--name=Ada', '--verbose=yes');
    assert.equal(r.new_env.CM_HELLO_TEXT, 'HELLO ADA!');
    assert.equal(r.new_env.CM_HELLO_LOUD, 'yes');
    assert.equal(r.new_env.CM_HELLO_CMP, '1');
    assert.deepEqual(r.new_state.hello, {
      from_native: 'Ada',
      from_hook: 'hello Ada',
      tags: ['a'],
    });
    const quiet = await s.runJ('print hello-mlc');
    assert.equal(quiet.new_env.CM_HELLO_TEXT, 'hello world');
    s.cleanup();
  });
});
