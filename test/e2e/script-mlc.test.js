// End-to-end: an MLC-format repo (test/fixtures/mlc-catalog: meta.yaml at the root and in each
// script, MLC_ env keys, `from mlc import utils`, i['automation'].logger and .action_object),
// registered beside the CM-format catalog and run through the real CLI.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel } from './helpers.js';
import { catalogSandbox, catalogWithPythons } from './script-fixtures.js';

/** The MLC catalog imported, a fake python3 3.9.7 then a 3.11.4 with numpy on PATH. */
const mlcCatalog = () => catalogWithPythons('mlc-catalog');

describe('MLC-format repos', parallel, () => {
  test('an MLC repo registers beside a CM repo; its meta.yaml artifacts are found and loaded', async () => {
    const s = await catalogSandbox('mlc-catalog');
    const cm = await catalogSandbox('cm-catalog');
    // The CM catalog registered into the MLC sandbox's home too: both side by side.
    const imp = await s.cm('import', 'repo', '--path=' + cm.repo);
    assert.equal(imp.code, 0, imp.stderr);
    const repos = (await s.cm('find', 'repo', '-j')).json();
    const aliases = repos.list.map((r) => r.alias ?? r.meta?.alias);
    assert.ok(aliases.includes('mlc-fixtures@catalog'), JSON.stringify(repos));
    const found = await s.cm('find', 'script', '--tags=mlc-fixture');
    assert.equal(found.code, 0, found.stderr);
    const names = found.stdout
      .trim()
      .split('\n')
      .map((p) => p.split('/').pop());
    assert.deepEqual(names.sort(), [
      'app-mlc-report',
      'detect-host-info',
      'find-cached-python',
      'get-python-interp',
      'get-python-package',
      'run-native-helper',
    ]);
    const load = (await s.cm('load', 'script', 'get-python-package', '-j')).json();
    assert.equal(load.meta.uid, '2b3c4d5e6f708192');
    assert.ok('package.#' in load.meta.variations);
    // A CM script of the other repo is found by the same command.
    const both = await s.cm('find', 'script', '--tags=get,python3');
    assert.match(both.stdout, /cm-catalog\/script\/get-python3/);
    // A new script in the MLC repo gets a meta.yaml, not a _cm.yaml.
    const add = await s.cm('add', 'script', 'mlc-fixtures@catalog:my-new', '--tags=my,new');
    assert.equal(add.code, 0, add.stderr);
    const files = readdirSync(join(s.repo, 'script', 'my-new'));
    assert.ok(files.includes('meta.yaml'), files.join(','));
    assert.ok(!files.includes('_cm.yaml'), files.join(','));
    assert.equal((await s.cm('find', 'script', '--tags=my,new')).code, 0);
    // Copied or moved between the two kinds of repo, an artifact takes the target's file names.
    const cp = await s.cm(
      'copy',
      'script',
      'cm-catalog-fixture:get-python3',
      'mlc-fixtures@catalog:py3-copy',
    );
    assert.equal(cp.code, 0, cp.stderr);
    assert.ok(existsSync(join(s.repo, 'script', 'py3-copy', 'meta.yaml')));
    const mv = await s.cm('move', 'script', 'py3-copy', 'cm-catalog-fixture:py3-back');
    assert.equal(mv.code, 0, mv.stderr);
    assert.ok(existsSync(join(cm.repo, 'script', 'py3-back', '_cm.yaml')));
    const back = await s.cm('find', 'script', 'py3-back');
    assert.equal(back.stdout.trim(), join(cm.repo, 'script', 'py3-back'));
    // An MLC repo packs and unpacks like a CM one.
    assert.equal((await s.cm('pack', 'repo', 'mlc-fixtures@catalog')).code, 0);
    const other = await catalogSandbox('cm-catalog');
    const un = await other.cmIn(s.dir, 'unpack', 'repo', '-j');
    assert.equal(un.code, 0, un.stderr);
    assert.equal(un.json().alias, 'mlc-fixtures@catalog');
  });

  test('two MLC repos in one run: each hook imports the utils.py of its own repo', async () => {
    const s = await catalogSandbox('mlc-catalog');
    // A second MLC repo whose automation/utils.py labels hosts differently, with a script that
    // depends on detect-host-info of the first repo.
    const other = join(s.dir, 'other-mlc');
    mkdirSync(join(other, 'automation'), { recursive: true });
    mkdirSync(join(other, 'script', 'other-report'), { recursive: true });
    writeFileSync(join(other, 'meta.yaml'), 'alias: other@mlc\nuid: 7a6b5c4d3e2f1a0b\n');
    writeFileSync(
      join(other, 'automation', 'utils.py'),
      "def host_label(kernel, machine):\n    return 'OTHER:' + kernel\n",
    );
    writeFileSync(
      join(other, 'script', 'other-report', 'meta.yaml'),
      [
        'alias: other-report',
        'uid: 1f2e3d4c5b6a7980',
        'automation_alias: script',
        'automation_uid: 5b4e0237da074764',
        'tags: [other, report]',
        'deps:',
        '  - tags: detect,host-info,mlc-fixture',
        'new_env_keys: [MLC_OTHER_*, MLC_HOST_INFO_LABEL]',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(other, 'script', 'other-report', 'customize.py'),
      [
        'from utils import host_label',
        'def preprocess(i):',
        "    env = i['env']",
        "    env['MLC_OTHER_LABEL'] = host_label(env['MLC_HOST_INFO_KERNEL'], '')",
        "    return {'return': 0}",
        '',
      ].join('\n'),
    );
    assert.equal((await s.cm('add', 'repo', `--path=${other}`)).code, 0);
    const r = await s.runJ('other report');
    assert.equal(r.new_env.MLC_OTHER_LABEL, 'OTHER:Linux');
    assert.match(r.new_env.MLC_HOST_INFO_LABEL, /^linux\//, "the dep used its own repo's utils.py");
  });

  test('detect-host-info: MLC_ keys from the engine, the Python hook (mlc utils, logger) and run.sh', async () => {
    const s = await catalogSandbox('mlc-catalog');
    const r = await s.cmWith(
      s.env(),
      'run',
      'script',
      'detect host-info mlc-fixture',
      '--quiet',
      '-j',
    );
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    const env = out.new_env;
    const scriptDir = join(s.repo, 'script', 'detect-host-info');
    assert.equal(env.MLC_HOST_INFO_KERNEL, 'Linux');
    assert.ok(env.MLC_HOST_INFO_MACHINE.length > 0);
    assert.equal(env.MLC_HOST_OS_TYPE, 'linux');
    // `from utils import host_label` came from the repo's automation/utils.py; MLC_QUIET was set.
    assert.equal(env.MLC_HOST_INFO_LABEL, `linux/${env.MLC_HOST_INFO_MACHINE}`);
    assert.equal(env.MLC_HOST_INFO_QUIET, 'yes');
    // MLC_TMP_CURRENT_SCRIPT_PATH reached both the hook and the native script.
    assert.equal(env.MLC_HOST_INFO_SCRIPT_DIR_SEEN, scriptDir);
    assert.equal(env.MLC_HOST_INFO_FROM_RUN, scriptDir);
    assert.equal(out.env.MLC_TMP_CURRENT_SCRIPT_PATH, undefined, 'TMP keys are not exported');
    assert.ok(
      !Object.keys(out.env).some((k) => k.startsWith('CM_TMP_')),
      `no CM_ keys for an MLC script: ${Object.keys(out.env).join(',')}`,
    );
    assert.deepEqual(out.new_state.host_info, {
      kernel: 'Linux',
      machine: env.MLC_HOST_INFO_MACHINE,
    });
    // i['automation'].logger.info("%s...", x) printed with %-formatting.
    assert.match(r.stderr + r.stdout, /detecting the host from \//);
    assert.ok(!existsSync(join(s.dir, 'tmp-uname.out')), 'load_txt(remove_after_read) removed it');
    // mlcflow's command: mlcr TAGS (the first word is tags, not a name).
    const m = await s.bin('mlcr', 'detect,host-info,mlc-fixture', '-j', '--quiet', '-s');
    assert.equal(m.code, 0, m.stderr);
    assert.equal(m.json().new_env.MLC_HOST_INFO_KERNEL, 'Linux');
  });

  test('get-python-interp: candidates on PATH, MLC_VERSION_MIN honoured, cached, MLC_DETECTED_VERSION', async () => {
    const { s, a, b } = await mlcCatalog();
    const first = await s.runJ('get python-interp mlc-fixture');
    assert.equal(first.new_env.MLC_PYTHON_BIN_WITH_PATH, join(a, 'bin', 'python3'));
    assert.equal(first.new_env.MLC_PYTHON_VERSION, '3.9.7');
    assert.equal(first.new_env.MLC_PYTHON_MAJOR_VERSION, '3');
    const min = await s.runJ('get python-interp mlc-fixture', '--version_min=3.10');
    assert.equal(min.new_env.MLC_PYTHON_BIN_WITH_PATH, join(b, 'bin', 'python3'));
    assert.equal(min.new_env.MLC_PYTHON_VERSION, '3.11.4');
    assert.equal(min.version, '3.11.4');
    assert.notEqual(min.cache_entry, first.cache_entry);
    // Again: the cache answers (no new entry), with the same env.
    const again = await s.runJ('get python-interp mlc-fixture', '--version_min=3.10');
    assert.equal(again.cache_entry, min.cache_entry);
    assert.equal(again.tree.status, 'cached');
    assert.equal(again.new_env.MLC_PYTHON_VERSION, '3.11.4');
    // A find_artifact hook (a Python function) skips candidates: here everything under pyA.
    const hooked = await s.runJ(
      'get python-interp mlc-fixture',
      '--new',
      `--env.MLC_PYTHON_SKIP_DIR=${a}`,
    );
    assert.equal(hooked.tree.status, 'ran');
    assert.equal(hooked.new_env.MLC_PYTHON_BIN_WITH_PATH, join(b, 'bin', 'python3'));
    const unhooked = await s.runJ('get python-interp mlc-fixture', '--new');
    assert.equal(unhooked.new_env.MLC_PYTHON_BIN_WITH_PATH, join(a, 'bin', 'python3'));
    // No candidate meets the bound: the error says why each one was rejected.
    const none = await s.run('get python-interp mlc-fixture', '--version_min=3.12');
    assert.notEqual(none.code, 0);
    assert.match(none.stderr + none.stdout, /3\.9\.7.*older than|3\.11\.4/s);
  });

  test('get-python-package: _package.# and a base alias, _available_variations, variation env beats a mapped flag', async () => {
    const { s } = await mlcCatalog();
    const pkg = await s.runJ(
      'get python-package mlc-fixture _package.numpy',
      '--adr.python.version_min=3.10',
    );
    assert.equal(pkg.new_env.MLC_PYTHONLIB_NUMPY_VERSION, '1.26.4');
    const alias = await s.runJ(
      'get python-package mlc-fixture _numpy',
      '--adr.python.version_min=3.10',
    );
    assert.equal(alias.new_env.MLC_PYTHONLIB_NUMPY_VERSION, '1.26.4');
    const missing = await s.run('get python-package mlc-fixture', '--adr.python.version_min=3.10');
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr + missing.stdout, /Available: .*_numpy/);
    // mlcflow does not make a mapped flag a const: the variation's env wins over --pkg_version.
    const v = await s.runJ(
      'get python-package mlc-fixture _numpy _extra-index',
      '--pkg_version=9.9',
      '--adr.python.version_min=3.10',
    );
    assert.equal(v.new_env.MLC_PYTHONLIB_WANTED, 'from-variation');
    // (A mapped flag is not part of the cache key, as in the reference: --new makes a fresh entry.)
    const flag = await s.runJ(
      'get python-package mlc-fixture _numpy',
      '--new',
      '--pkg_version=9.9',
      '--adr.python.version_min=3.10',
    );
    assert.equal(flag.new_env.MLC_PYTHONLIB_WANTED, '9.9');
  });

  test('run-native-helper: automation.run_native_script and run-<MLC_HOST_OS_TYPE>.sh', async () => {
    const s = await catalogSandbox('mlc-catalog');
    const r = await s.runJ('run native-helper mlc-fixture');
    assert.equal(r.new_env.MLC_HELPER_PROBED, 'probe-ran-in-run-native-helper');
    assert.equal(r.new_env.MLC_HELPER_RUN, 'run-linux.sh');
    assert.equal(r.new_env.MLC_HELPER_VERIFY, 'unset');
    const noVerify = await s.runJ('run native-helper mlc-fixture', '--verify_ssl=no');
    assert.equal(noVerify.new_env.MLC_HELPER_VERIFY, 'no', '--verify_ssl reaches MLC_VERIFY_SSL');
  });

  test('find-cached-python: action_object.access with target= finds the cache entry', async () => {
    const { s } = await mlcCatalog();
    const none = await s.runJ('find cached-python mlc-fixture');
    assert.equal(none.new_env.MLC_FOUND_CACHE_ENTRIES, '0');
    const py = await s.runJ('get python-interp mlc-fixture');
    const found = await s.runJ('find cached-python mlc-fixture');
    assert.equal(found.new_env.MLC_FOUND_CACHE_ENTRIES, '1');
    assert.equal(found.new_env.MLC_FOUND_CACHE_PATH, py.cache_entry);
  });

  test('app-mlc-report: --version adds _version.X, versions before variations, update_meta_if_env, deps', async () => {
    const { s } = await mlcCatalog();
    const plain = await s.runJ('app mlc-report mlc-fixture');
    // As mlcflow: -j gives the resolved dep list (dicts), and MLC_USER_RUN_DIR stays in the env.
    assert.deepEqual(plain.deps[0], { tags: 'detect,host-info,mlc-fixture' });
    assert.deepEqual(plain.deps[1].names, ['json-lib']);
    assert.equal(plain.env.MLC_USER_RUN_DIR, s.dir);
    assert.match(plain.new_env.MLC_REPORT_TEXT, /^Linux\/\S+ as text$/);
    const v = await s.runJ('app mlc-report mlc-fixture', '--version=2.0');
    assert.equal(v.new_env.MLC_REPORT_VARIATION_VERSION, '2.0', '_version.2.0 was selected');
    assert.equal(v.new_env.MLC_REPORT_SEEN_VERSION, '2.0');
    assert.equal(v.new_env.MLC_REPORT_STYLE, 'from-version');
    assert.ok(v.tree.variations.some((x) => x.name === '_version.2.0'));
    const byEnv = await s.runJ('app mlc-report mlc-fixture', '--env.MLC_VERSION=2.0');
    assert.equal(byEnv.new_env.MLC_REPORT_VARIATION_VERSION, '2.0', 'MLC_VERSION selects it too');
    // mlcflow applies the version's meta before the variations: the variation's env wins.
    const fancy = await s.runJ('app mlc-report mlc-fixture _fancy', '--version=2.0');
    assert.equal(fancy.new_env.MLC_REPORT_STYLE, 'from-variation');
    // A variation's default_version applies after the variations (mlcflow too).
    const pinned = await s.runJ('app mlc-report mlc-fixture _pinned');
    assert.equal(pinned.new_env.MLC_REPORT_STYLE, 'from-version');
    assert.equal(pinned.new_env.MLC_REPORT_SEEN_VERSION, '2.0');
    const json = await s.runJ('app mlc-report mlc-fixture', '--format=json');
    assert.equal(json.new_env.MLC_REPORT_EXT, 'json');
    assert.match(json.new_env.MLC_REPORT_TEXT, / as json$/);
    // The conditional dep runs only when its MLC_ condition holds; --adr reaches its python dep.
    const withLib = await s.runJ(
      'app mlc-report mlc-fixture',
      '--env.MLC_REPORT_WITH_LIB=yes',
      '--adr.python.version_min=3.10',
    );
    assert.equal(withLib.new_env.MLC_REPORT_TEXT.endsWith(' as text'), true);
    const depScripts = withLib.tree.deps.map((d) => d.script);
    assert.deepEqual(depScripts, ['detect-host-info', 'get-python-package', 'run-native-helper']);
    assert.equal(plain.tree.deps.length, 3);
    assert.equal(plain.tree.deps[1].status, 'skipped');
    assert.equal(withLib.tree.deps[1].deps[0].version, '3.11.4');
    // skip_if_fake_run reads MLC_TMP_FAKE_RUN in an MLC repo.
    const fake = await s.runJ('app mlc-report mlc-fixture', '--fake_run');
    assert.equal(fake.tree.deps[2].status, 'skipped');
    assert.match(fake.tree.deps[2].reason, /skip_if_fake_run/);
  });
});
