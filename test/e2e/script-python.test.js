// End-to-end: hooks in Python (customize.py) run by one long-lived worker per cm process.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { access } from '../../dist/index.js';
import { parallel } from './helpers.js';
import { scriptSandbox } from './script-fixtures.js';

const py = (lines) => lines.join('\n') + '\n';

describe('python hooks', parallel, () => {
  test('preprocess/postprocess change env; run_native_script, utils and print work', async () => {
    const s = scriptSandbox({
      pyhello: {
        meta: { tags: ['t', 'pyhello'], new_env_keys: ['PY_*'] },
        run: 'echo "PY_RUN=${PY_PRE}" > tmp-run-env.out',
        files: {
          'customize.py': py([
            'from cmind import utils',
            'def preprocess(i):',
            "    env = i['env']",
            "    env['PY_PRE'] = 'from-python'",
            "    r = i['automation'].run_native_script({'run_script_input': i['run_script_input'], 'env': env, 'script_name': 'install'})",
            "    if r['return'] > 0:",
            '        return r',
            "    print('hello from the hook')",
            "    return {'return': 0}",
            'def postprocess(i):',
            "    env = i['env']",
            "    env['PY_POST'] = env.get('PY_RUN', '') + '+' + env.get('PY_INSTALLED', '')",
            "    env['PY_UID_LEN'] = str(len(utils.gen_uid()['uid']))",
            "    env['PY_TRUE'] = str(utils.check_if_true_yes_on({'A': 'on'}, 'A'))",
            "    return {'return': 0}",
          ]),
          'install.sh': '#!/bin/bash\necho "PY_INSTALLED=yes" > tmp-run-env.out\n',
        },
      },
    });
    const r = await s.run('t pyhello', '-j');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json().new_env, {
      PY_INSTALLED: 'yes',
      PY_POST: 'from-python+yes',
      PY_PRE: 'from-python',
      PY_RUN: 'from-python',
      PY_TRUE: 'True',
      PY_UID_LEN: '16',
    });
    assert.match(
      r.stderr,
      /hello from the hook/,
      'what a hook prints is shown (on stderr with -j)',
    );
    s.cleanup();
  });

  test('a Python exception stops the run with the script, hook and traceback; {return: 2} is passed on', async () => {
    const s = scriptSandbox({
      pyfail: {
        meta: { tags: ['t', 'pyfail'] },
        run: 'echo ran >> "$CM_TMP_CURRENT_PATH/log.txt"',
        files: {
          'customize.py': py(['def preprocess(i):', '    x = {}', "    return x['missing']"]),
        },
      },
      pyret: {
        meta: { tags: ['t', 'pyret'] },
        files: {
          'customize.py': py(['def postprocess(i):', "    return {'return': 2, 'error': 'boom'}"]),
        },
      },
    });
    const a = await s.run('t pyfail');
    assert.equal(a.code, 1);
    assert.match(a.stderr, /pyfail\/customize\.py: preprocess\(\) raised KeyError: 'missing'/);
    assert.match(a.stderr, /Python traceback:[\s\S]*customize\.py", line 3, in preprocess/);
    assert.throws(() => s.log(), /ENOENT/);
    const b = await s.run('t pyret');
    assert.equal(b.code, 2);
    assert.match(b.stderr, /postprocess\(\) of script "pyret" failed: boom/);
    // A hook importing a package that is not installed: named, with how to install it.
    s.writeScripts({
      pymiss: {
        meta: { tags: ['t', 'pymiss'] },
        files: {
          'customize.py': py([
            'import no_such_pkg_xyz',
            'def preprocess(i):',
            "    return {'return': 0}",
          ]),
        },
      },
    });
    const c = await s.run('t pymiss');
    assert.equal(c.code, 1);
    assert.match(c.stderr, /No module named 'no_such_pkg_xyz'/);
    assert.match(c.stderr, /python3 -m pip install no_such_pkg_xyz/);
    s.cleanup();
  });

  test('cmind.access from a hook: found artifacts have .path and .meta; `from mlc import utils` works', async () => {
    const s = scriptSandbox({
      target: { meta: { tags: ['t', 'target'] }, run: 'true' },
      pyacc: {
        meta: { tags: ['t', 'pyacc'], new_env_keys: ['ACC_*'] },
        files: {
          'customize.py': py([
            'import cmind',
            'from mlc import utils',
            'def preprocess(i):',
            "    r = cmind.access({'action': 'find', 'automation': 'script', 'tags': 't,target'})",
            "    if r['return'] > 0:",
            '        return r',
            "    i['env']['ACC_PATH'] = r['list'][0].path",
            "    i['env']['ACC_TAGS'] = ','.join(r['list'][0].meta['tags'])",
            "    i['env']['ACC_TRUE'] = str(utils.is_true('yes'))",
            "    return {'return': 0}",
          ]),
        },
      },
    });
    const r = await s.runJ('t pyacc');
    assert.deepEqual(r.new_env, {
      ACC_PATH: s.local('script', 'target'),
      ACC_TAGS: 't,target',
      ACC_TRUE: 'True',
    });
    s.cleanup();
  });

  test('one worker serves every Python hook of a run; find_artifact detects versions through detect_version', async () => {
    const bin = (v) => `#!/bin/bash\necho "mytool version ${v}"\n`;
    const s = scriptSandbox({
      getter: {
        meta: { tags: ['get', 'mytool'], new_env_keys: ['MYTOOL_*', 'PID_*'] },
        run: '"$MYTOOL_BIN_WITH_PATH" > tmp-ver.out',
        files: {
          'customize.py': py([
            'import os',
            'def preprocess(i):',
            "    r = i['automation'].find_artifact({'file_name': 'mytool', 'env': i['env'], 'os_info': i['os_info'],",
            "        'default_path_env_key': 'PATH', 'detect_version': True, 'env_path_key': 'MYTOOL_BIN_WITH_PATH',",
            "        'run_script_input': i['run_script_input']})",
            "    i['env']['PID_GETTER'] = str(os.getpid())",
            '    return r',
            'def detect_version(i):',
            "    r = i['automation'].parse_version({'match_text': r'mytool version\\s*([\\d.]+)', 'group_number': 1,",
            "        'env_key': 'MYTOOL_VERSION', 'which_env': i['env']})",
            "    if r['return'] > 0:",
            '        return r',
            "    return {'return': 0, 'version': r['version']}",
          ]),
        },
      },
      user: {
        meta: {
          tags: ['t', 'user'],
          new_env_keys: ['MYTOOL_*', 'PID_*'],
          deps: [{ tags: 'get,mytool' }],
        },
        files: {
          'customize.py': py([
            'import os',
            'def preprocess(i):',
            "    i['env']['PID_USER'] = str(os.getpid())",
            "    return {'return': 0}",
          ]),
        },
      },
    });
    s.write({ 'bin1/mytool': bin('1.5.0'), 'bin2/mytool': bin('2.5.0') });
    const { chmodSync } = await import('node:fs');
    for (const b of ['bin1', 'bin2']) chmodSync(join(s.dir, b, 'mytool'), 0o755);
    const path = `${join(s.dir, 'bin1')}:${join(s.dir, 'bin2')}:${process.env.PATH}`;
    const r = await s.cmWith(
      { PATH: path },
      'run',
      'script',
      't user',
      '--quiet',
      '-j',
      '-s',
      '--adr.x.tags=y',
    );
    assert.equal(r.code, 0, r.stderr);
    const env = r.json().new_env;
    assert.equal(env.PID_GETTER, env.PID_USER, 'the same Python process ran both hooks');
    assert.equal(env.MYTOOL_BIN_WITH_PATH, join(s.dir, 'bin1', 'mytool'));
    const min = await s.cmWith(
      { PATH: path },
      'run',
      'script',
      'get mytool',
      '--version_min=2.0',
      '--quiet',
      '-j',
      '-s',
    );
    assert.equal(min.code, 0, min.stderr);
    assert.equal(min.json().new_env.MYTOOL_BIN_WITH_PATH, join(s.dir, 'bin2', 'mytool'));
    assert.equal(min.json().new_env.MYTOOL_VERSION, '2.5.0');
    s.cleanup();
  });

  test('a hook that never returns is stopped by --timeout, and its worker is gone', async () => {
    const s = scriptSandbox({
      pyhang: {
        meta: { tags: ['t', 'pyhang'] },
        files: {
          'customize.py': py([
            'import os, time',
            'def preprocess(i):',
            "    open(os.path.join(i['env']['CM_TMP_CURRENT_PATH'], 'pid.txt'), 'w').write(str(os.getpid()))",
            '    time.sleep(600)',
            "    return {'return': 0}",
          ]),
        },
      },
    });
    const t0 = Date.now();
    const r = await s.run('t pyhang', '--timeout=1');
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /preprocess\(\) did not return within 1 s; the Python worker was stopped/,
    );
    assert.ok(Date.now() - t0 < 20000);
    const pid = Number(s.log('pid.txt'));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let k = 0; k < 40 && alive(); k++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(), false, 'no worker process is left');
    s.cleanup();
  });

  test('a hook that edits meta deps (update_deps) changes the prehook deps that run', async () => {
    const s = scriptSandbox({
      child: {
        meta: { tags: ['t', 'child'], variations: { x: { env: { C_X: 'yes' } } } },
        run: 'echo "child x=$C_X" >> "$CM_TMP_CURRENT_PATH/log.txt"',
      },
      parent: {
        meta: { tags: ['t', 'parent'], prehook_deps: [{ tags: 't,child', names: ['kid'] }] },
        files: {
          'customize.py': py([
            'def preprocess(i):',
            "    i['automation'].update_deps({'deps': i['meta']['prehook_deps'], 'update_deps': {'kid': {'tags': '_x'}}})",
            "    return {'return': 0}",
          ]),
        },
      },
    });
    const r = await s.run('t parent');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(s.log().trim().split('\n'), ['child x=yes']);
    s.cleanup();
  });

  test('two runs in one process (library API) get a worker each, with their own env, ended after the run', async () => {
    const s = scriptSandbox({
      pyenv: {
        meta: { tags: ['t', 'pyenv'], new_env_keys: ['W_*'] },
        files: {
          'customize.py': py([
            'import os',
            'def preprocess(i):',
            "    i['env']['W_MARK'] = os.environ.get('CM_TEST_MARK', '')",
            "    i['env']['W_PID'] = str(os.getpid())",
            "    return {'return': 0}",
          ]),
        },
      },
    });
    const runWith = (mark) =>
      access(
        { action: 'run', automation: 'script', tags: 't,pyenv', quiet: true, silent: true },
        { home: s.home, env: { ...process.env, CM_REPOS: s.home, CM_TEST_MARK: mark } },
      );
    const one = await runWith('one');
    const two = await runWith('two');
    assert.equal(one.return, 0, one.error);
    assert.equal(two.return, 0, two.error);
    assert.equal(one.new_env.W_MARK, 'one');
    assert.equal(two.new_env.W_MARK, 'two', "the second run does not get the first run's worker");
    assert.notEqual(one.new_env.W_PID, two.new_env.W_PID);
    const alive = (pid) => {
      try {
        process.kill(Number(pid), 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let k = 0; k < 100 && (alive(one.new_env.W_PID) || alive(two.new_env.W_PID)); k++)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(one.new_env.W_PID), false, "the first run's worker has ended");
    assert.equal(alive(two.new_env.W_PID), false, "the second run's worker has ended");
    s.cleanup();
  });

  test('update_deps from a customize.py expands <<<VAR>>>, honours skip_if_env and string names, in the lists the hook holds', async () => {
    const s = scriptSandbox({
      kid: {
        meta: { tags: ['t', 'kid'], variations: { fast: { env: { KID_SPEED: 'fast' } } } },
        run: 'echo "kid speed=$KID_SPEED label=$KID_LABEL" >> "$CM_TMP_CURRENT_PATH/log.txt"',
      },
      other: {
        meta: { tags: ['t', 'other'] },
        run: 'echo "other" >> "$CM_TMP_CURRENT_PATH/log.txt"',
      },
      pyupd: {
        meta: {
          tags: ['t', 'pyupd'],
          new_env_keys: ['UPD_*'],
          post_deps: [
            { tags: 't,kid', names: 'kid' },
            { tags: 't,kid', names: 'kids' },
            { tags: 't,other', names: ['other'] },
          ],
        },
        files: {
          'customize.py': py([
            'def preprocess(i):',
            "    deps = i['meta']['post_deps']",
            '    held = deps[0]',
            "    i['env']['UPD_SPEED'] = 'fast'",
            // No env passed: the hook's env, with UPD_SPEED, expands <<<UPD_SPEED>>>.
            "    r = i['automation'].update_deps({'deps': deps, 'update_deps': {",
            "        'kid': {'tags': '_<<<UPD_SPEED>>>', 'env': {'KID_LABEL': 'x-<<<UPD_SPEED>>>'}},",
            "        'other': {'tags': '_no_such_variation', 'skip_if_env': {'UPD_SPEED': ['fast']}}}})",
            "    if r['return'] > 0:",
            '        return r',
            "    i['env']['UPD_HELD'] = held['tags']",
            "    i['env']['UPD_KIDS'] = deps[1]['tags']",
            "    return {'return': 0}",
          ]),
        },
      },
    });
    const r = await s.runJ('t pyupd');
    assert.equal(
      r.new_env.UPD_HELD,
      't,kid,_fast',
      'the dep dict the hook held was changed in place',
    );
    assert.equal(r.new_env.UPD_KIDS, 't,kid', 'names "kids" is not names "kid"');
    // The skipped update would have asked for a variation "other" does not have.
    assert.deepEqual(s.log().trim().split('\n'), [
      'kid speed=fast label=x-fast',
      'kid speed= label=',
      'other',
    ]);
    s.cleanup();
  });

  test('every i.automation method gives a customize.py what it gives a customize.js', async () => {
    const pyHook = py([
      'import json, os',
      'def preprocess(i):',
      "    env, a, out = i['env'], i['automation'], {}",
      "    with open('ver.txt', 'w') as f:",
      "        f.write('tool version 1.2.3\\n')",
      "    out['parse_version'] = a.parse_version({'match_text': r'version\\s*([\\d.]+)$', 'group_number': 1,",
      "        'env_key': 'API_PV', 'which_env': env, 'file_name': 'ver.txt'})",
      "    out['which_env'] = env.get('API_PV')",
      "    deps = i['meta']['post_deps']",
      "    env['API_SPEED'] = 'fast'",
      "    out['update_deps'] = a.update_deps({'deps': deps, 'update_deps': {'kid': {'tags': '_<<<API_SPEED>>>'},",
      "        'other': {'tags': '_no', 'skip_if_env': {'API_SPEED': ['fast']}}}})",
      "    out['deps'] = deps",
      "    for f in ('tmp-run.bat', 'tmp-state.json'):",
      "        open(f, 'w').close()",
      "    out['clean'] = a.clean_some_tmp_files({'env': env})",
      "    out['left'] = [f for f in ('tmp-run.bat', 'tmp-state.json') if os.path.exists(f)]",
      "    out['paths'] = a.get_default_path_list({'default_path_env_key': 'API_PATHS', 'os_info': i['os_info']})",
      "    tree = env['API_TREE']",
      "    out['back'] = a.find_file_back({'path': os.path.join(tree, 'a', 'b', 'c'), 'file_name': 'marker.txt'})",
      "    out['deep'] = a.find_file_deep({'paths': [tree], 'file_name': 'leaf.txt', 'restrict_paths': [os.path.join(tree, 'a', 'b'), os.path.join(tree, 'x', 'b2')]})",
      "    out['variations'] = a._available_variations({'meta': i['meta']})",
      "    r = a.run_native_script({'run_script_input': i['run_script_input'], 'env': env, 'script_name': 'helper'})",
      "    out['native'] = [r['return'], env.get('API_NATIVE')]",
      "    out['find'] = a.find_artifact({'file_name': 'apitool', 'env': env, 'os_info': i['os_info'],",
      "        'default_path_env_key': 'API_PATHS', 'env_path_key': 'API_TOOL'})",
      "    out['found'] = env.get('API_TOOL')",
      "    out['detected'] = a.detect_version_using_script({'env': env, 'run_script_input': i['run_script_input'],",
      "        'script_name': 'ver'})",
      "    out['dv'] = env.get('API_DV')",
      "    env['API_OUT'] = json.dumps(out)",
      "    return {'return': 0}",
      'def detect_version(i):',
      "    r = i['automation'].parse_version({'match_text': r'tool version\\s*([\\d.]+)', 'group_number': 1,",
      "        'env_key': 'API_DV', 'which_env': i['env']})",
      "    return r if r['return'] > 0 else {'return': 0, 'version': r['version']}",
    ]);
    const jsHook = `import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export async function preprocess(i) {
  const env = i.env, a = i.automation, out = {};
  writeFileSync('ver.txt', 'tool version 1.2.3\\n');
  out.parse_version = await a.parse_version({ match_text: 'version\\\\s*([\\\\d.]+)$', group_number: 1,
    env_key: 'API_PV', which_env: env, file_name: 'ver.txt' });
  out.which_env = env.API_PV;
  const deps = i.meta.post_deps;
  env.API_SPEED = 'fast';
  out.update_deps = await a.update_deps({ deps, update_deps: { kid: { tags: '_<<<API_SPEED>>>' },
    other: { tags: '_no', skip_if_env: { API_SPEED: ['fast'] } } } });
  out.deps = deps;
  for (const f of ['tmp-run.bat', 'tmp-state.json']) writeFileSync(f, '');
  out.clean = await a.clean_some_tmp_files({ env });
  out.left = ['tmp-run.bat', 'tmp-state.json'].filter((f) => existsSync(f));
  out.paths = await a.get_default_path_list({ default_path_env_key: 'API_PATHS', os_info: i.os_info });
  const tree = env.API_TREE;
  out.back = await a.find_file_back({ path: join(tree, 'a', 'b', 'c'), file_name: 'marker.txt' });
  out.deep = await a.find_file_deep({ paths: [tree], file_name: 'leaf.txt', restrict_paths: [join(tree, 'a', 'b'), join(tree, 'x', 'b2')] });
  out.variations = await a._available_variations({ meta: i.meta });
  const r = await a.run_native_script({ run_script_input: i.run_script_input, env, script_name: 'helper' });
  out.native = [r.return, env.API_NATIVE];
  out.find = await a.find_artifact({ file_name: 'apitool', env, os_info: i.os_info,
    default_path_env_key: 'API_PATHS', env_path_key: 'API_TOOL' });
  out.found = env.API_TOOL;
  out.detected = await a.detect_version_using_script({ env, run_script_input: i.run_script_input,
    script_name: 'ver' });
  out.dv = env.API_DV;
  env.API_OUT = JSON.stringify(out);
  return { return: 0 };
}
export async function detect_version(i) {
  const r = await i.automation.parse_version({ match_text: 'tool version\\\\s*([\\\\d.]+)', group_number: 1,
    env_key: 'API_DV', which_env: i.env });
  return r.return > 0 ? r : { return: 0, version: r.version };
}
`;
    const meta = {
      new_env_keys: ['API_*'],
      variations: { one: {}, two: { group: 'g' }, three: { group: 'g' } },
      post_deps: [
        { tags: 't,kid', names: 'kid' },
        { tags: 't,other', names: ['other'] },
      ],
    };
    const files = {
      'helper.sh': '#!/bin/bash\necho "API_NATIVE=yes" > tmp-run-env.out\n',
      'ver.sh': '#!/bin/bash\necho "tool version 2.0.0" > tmp-ver.out\n',
    };
    const s = scriptSandbox({
      kid: { meta: { tags: ['t', 'kid'], variations: { fast: {} } }, run: 'true' },
      other: { meta: { tags: ['t', 'other'] }, run: 'true' },
      apipy: {
        meta: { ...meta, tags: ['t', 'apipy'] },
        files: { ...files, 'customize.py': pyHook },
      },
      apijs: { meta: { ...meta, tags: ['t', 'apijs'] }, files, customize: jsHook },
    });
    const tree = join(s.dir, 'tree');
    s.write({
      'tree/marker.txt': '',
      'tree/a/b/c/.keep': '',
      'tree/a/b/leaf.txt': '',
      'tree/a/leaf.txt': '',
      'tree/x/b2/leaf.txt': '',
      'bin/apitool': '#!/bin/bash\n',
    });
    const { chmodSync } = await import('node:fs');
    chmodSync(join(s.dir, 'bin', 'apitool'), 0o755);
    const paths = [join(s.dir, 'bin'), join(s.dir, 'nothing')].join(':');
    const out = async (tags) => {
      const r = await s.cmWith(
        { API_PATHS: paths },
        'run',
        'script',
        tags,
        `--env.API_TREE=${tree}`,
        '--quiet',
        '-j',
        '-s',
      );
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.json().new_env.API_OUT.replaceAll('apijs', 'apipy'));
    };
    const fromPy = await out('t apipy');
    const fromJs = await out('t apijs');
    assert.deepEqual(fromPy, fromJs);
    // And what they both get is right.
    assert.deepEqual(fromPy.parse_version, {
      return: 0,
      version: '1.2.3',
      string: 'version 1.2.3',
    });
    assert.equal(fromPy.which_env, '1.2.3');
    assert.deepEqual(fromPy.deps, [
      { tags: 't,kid,_fast', names: 'kid' },
      { tags: 't,other', names: ['other'] },
    ]);
    assert.deepEqual(fromPy.left, []);
    assert.deepEqual(fromPy.paths, [join(s.dir, 'bin'), join(s.dir, 'nothing')]);
    assert.deepEqual(fromPy.back, { return: 0, found_path: tree });
    assert.deepEqual(fromPy.deep.found_paths.sort(), [join(tree, 'a', 'b'), join(tree, 'x', 'b2')]);
    assert.deepEqual(fromPy.variations, {
      return: 1,
      error:
        'python package variation is not defined in "apipy". Available: group g: _three _two; no group: _one',
    });
    assert.deepEqual(fromPy.native, [0, 'yes']);
    assert.equal(fromPy.found, join(s.dir, 'bin', 'apitool'));
    assert.equal(fromPy.find.found_file_path, join(s.dir, 'bin', 'apitool'));
    assert.deepEqual(fromPy.detected, { return: 0, detected_version: '2.0.0' });
    assert.equal(fromPy.dv, '2.0.0');
    s.cleanup();
  });

  test(
    'a JS hook whose cmind.access runs a script with a Python hook that calls back does not wait for itself',
    { timeout: 60_000 },
    async () => {
      const s = scriptSandbox({
        pyinner: {
          // Cached: it runs in its own folder (a run in the folder the outer run holds would wait).
          meta: { tags: ['t', 'pyinner'], cache: true, new_env_keys: ['IN_*'] },
          files: {
            'customize.py': py([
              'import os',
              'def preprocess(i):',
              "    with open('ver.txt', 'w') as f:",
              "        f.write('v 1.2.3\\n')",
              "    r = i['automation'].parse_version({'match_text': r'v ([\\d.]+)$', 'file_name': 'ver.txt',",
              "        'which_env': i['env'], 'env_key': 'IN_V'})",
              "    i['env']['IN_CWD'] = os.getcwd()",
              '    return r',
            ]),
          },
        },
        jsouter: {
          meta: { tags: ['t', 'jsouter'], new_env_keys: ['OUT_*'] },
          customize: `export async function preprocess(i) {
  const r = await i.automation.cmind.access({ action: 'run', automation: 'script', tags: 't,pyinner', quiet: true });
  if (r.return > 0) return r;
  i.env.OUT_V = r.new_env.IN_V;
  i.env.OUT_INNER_CWD = r.new_env.IN_CWD;
  i.env.OUT_CWD = process.cwd();
  return { return: 0 };
}
`,
        },
      });
      const r = await s.runJ('t jsouter');
      assert.equal(r.new_env.OUT_V, '1.2.3');
      assert.equal(r.new_env.OUT_CWD, s.dir, 'the outer hook is back in its folder');
      assert.notEqual(r.new_env.OUT_INNER_CWD, s.dir, 'the inner hook ran in its cache entry');
      s.cleanup();
    },
  );

  test(
    "a hook's cmind.access running an uncached script in the folder its run holds shares it (no wait)",
    { timeout: 60_000 },
    async () => {
      const s = scriptSandbox({
        jsinner: {
          meta: { tags: ['t', 'jsinner'], new_env_keys: ['IN_*'] },
          files: { 'run.sh': 'echo "IN_RAN=$(pwd)" > tmp-run-env.out\n' },
        },
        jsholder: {
          meta: { tags: ['t', 'jsholder'], new_env_keys: ['OUT_*'] },
          customize: `export async function preprocess(i) {
  const r = await i.automation.cmind.access({ action: 'run', automation: 'script', tags: 't,jsinner', quiet: true });
  if (r.return > 0) return r;
  i.env.OUT_INNER_RAN = r.new_env.IN_RAN;
  return { return: 0 };
}
`,
        },
      });
      const t0 = Date.now();
      const r = await s.runJ('t jsholder');
      assert.equal(r.new_env.OUT_INNER_RAN, s.dir, 'the inner run used the same working folder');
      assert.ok(Date.now() - t0 < 20_000, `took ${Date.now() - t0} ms`);
      assert.equal(existsSync(join(s.dir, '.cm-run.lock')), false, 'the folder is let go');
      s.cleanup();
    },
  );
});
