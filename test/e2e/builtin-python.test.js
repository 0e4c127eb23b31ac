// End-to-end: get-python3, install-python-venv and get-generic-python-lib with the real Python of
// this machine; installs come from a wheel built here (no network), and an unreachable index
// gives a plain error.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel, sandbox } from './helpers.js';

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const hasPython = python.status === 0;
const systemVersion = /Python ([\d.]+)/.exec(`${python.stdout}${python.stderr}`)?.[1];

/** A pure-Python wheel cmtoy-1.2.0 in `dir`, written with Python's zipfile. */
function makeWheel(dir) {
  mkdirSync(dir, { recursive: true });
  const py = `
import zipfile, hashlib, base64
files = {'cmtoy/__init__.py': b'VALUE = 42\\n',
 'cmtoy-1.2.0.dist-info/METADATA': b'Metadata-Version: 2.1\\nName: cmtoy\\nVersion: 1.2.0\\n',
 'cmtoy-1.2.0.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: cm-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
rec = ''.join('%s,sha256=%s,%d\\n' % (n, base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode(), len(d)) for n, d in files.items())
with zipfile.ZipFile('cmtoy-1.2.0-py3-none-any.whl', 'w') as z:
    for n, d in files.items(): z.writestr(n, d)
    z.writestr('cmtoy-1.2.0.dist-info/RECORD', rec + 'cmtoy-1.2.0.dist-info/RECORD,,\\n')
`;
  const r = spawnSync('python3', ['-c', py], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

describe('python scripts', { ...parallel, skip: !hasPython }, () => {
  test('get-python3: the reference keys; every candidate on PATH; constraints; a stable choice', async () => {
    const s = sandbox('cm-py-');
    const r = await s.cm('run', 'script', 'get python3', '-j', '-s');
    assert.equal(r.code, 0, r.stderr);
    const env = r.json().new_env;
    assert.deepEqual(Object.keys(env).sort(), [
      'CM_PYTHON_BIN',
      'CM_PYTHON_BIN_PATH',
      'CM_PYTHON_BIN_WITH_PATH',
      'CM_PYTHON_CACHE_TAGS',
      'CM_PYTHON_MAJOR_VERSION',
      'CM_PYTHON_MINOR_VERSION',
      'CM_PYTHON_PATCH_VERSION',
      'CM_PYTHON_VERSION',
    ]);
    assert.equal(env.CM_PYTHON_VERSION, systemVersion);
    assert.equal(env.CM_PYTHON_CACHE_TAGS, `version-${systemVersion},non-virtual`);

    // An old python3 first on PATH: taken without constraints, skipped with --version_min.
    const old = join(s.dir, 'old-bin');
    mkdirSync(old);
    writeFileSync(join(old, 'python3'), '#!/bin/sh\necho "Python 3.6.15"\n');
    chmodSync(join(old, 'python3'), 0o755);
    const path = { PATH: `${old}:${process.env.PATH}` };
    const first = await s.cmWith(path, 'run', 'script', 'get python3', '--skip_cache', '-j', '-s');
    assert.equal(first.json().new_env.CM_PYTHON_BIN_WITH_PATH, join(old, 'python3'));
    const min = await s.cmWith(
      path,
      'run',
      'script',
      'get python3',
      '--version_min=3.7',
      '--skip_cache',
      '-j',
      '-s',
    );
    assert.equal(min.code, 0, min.stderr);
    assert.equal(min.json().new_env.CM_PYTHON_VERSION, systemVersion);
  });

  test('get-python3: a bound no candidate meets is one message with the versions found', async () => {
    const s = sandbox('cm-py-');
    // An old python3, and shims that cannot run (as pyenv's without an installed version).
    const old = join(s.dir, 'old-bin');
    const shims = join(s.dir, 'shims');
    mkdirSync(old);
    mkdirSync(shims);
    writeFileSync(join(old, 'python3'), '#!/bin/sh\necho "Python 3.6.15"\n');
    chmodSync(join(old, 'python3'), 0o755);
    for (const v of ['6', '7', '8', '9', '10', '12']) {
      writeFileSync(join(shims, `python3.${v}`), '#!/bin/sh\necho "no such version" >&2; exit 1\n');
      chmodSync(join(shims, `python3.${v}`), 0o755);
    }
    const path = { PATH: `${old}:${shims}:/usr/bin:/bin` };
    const none = await s.cmWith(path, 'run', 'script', 'get python3', '--version_min=99', '-s');
    assert.equal(none.code, 16, none.stderr);
    const found = `found 3\\.6\\.15 \\(${old}/python3\\), [\\d.]+ \\(/usr/bin/python3`;
    assert.match(none.stderr, new RegExp(`^CM error: no python3 satisfies >= 99: ${found}`, 'm'));
    assert.match(
      none.stderr,
      new RegExp(
        `; 6 more in ${shims} could not be run \\(exit status 1: python3\\.6, python3\\.7, python3\\.8, python3\\.9, …\\)`,
      ),
    );
    assert.match(
      none.stderr,
      /hint: ask for a version found .*or install a python3 that satisfies >= 99/,
    );
    assert.match(
      none.stderr,
      /no script installs one: install it \(e\.g\. apt-get install -y python3\)/,
    );
    // One message: no probe for an installer ("nothing found ... did you mean"), no block per shim.
    assert.equal(none.stderr.match(/CM error/g).length, 1, none.stderr);
    assert.doesNotMatch(
      none.stderr,
      /nothing found|did you mean|near candidates|Native script failed/,
    );
    // The same for an upper bound and for an exact version.
    const max = await s.cmWith(path, 'run', 'script', 'get python3', '--version_max=3.0', '-s');
    assert.equal(max.code, 16, max.stderr);
    assert.match(max.stderr, new RegExp(`CM error: no python3 satisfies <= 3\\.0: ${found}`));
    const exact = await s.cmWith(path, 'run', 'script', 'get python3', '--version=3.9.1', '-s');
    assert.equal(exact.code, 16, exact.stderr);
    assert.match(exact.stderr, new RegExp(`CM error: no python3 satisfies == 3\\.9\\.1: ${found}`));
  });

  test('a named venv; a package installed into it from a wheel; detection; offline errors', async () => {
    const s = sandbox('cm-py-');
    const venv = await s.cm('run', 'script', 'install python-venv', '--name=exp', '-j', '-s');
    assert.equal(venv.code, 0, venv.stderr);
    const v = venv.json();
    const venvPython = v.new_env.CM_PYTHON_BIN_WITH_PATH;
    assert.match(venvPython, /cache\/[0-9a-f]{16}\/exp\/bin\/python3$/);
    assert.match(v.new_state.script_prefix[0], /exp\/bin\/activate/);
    // A plain "get python3" still takes the system Python; the venv only when named.
    const plain = await s.cm('run', 'script', 'get python3', '-j', '-s');
    assert.notEqual(plain.json().new_env.CM_PYTHON_BIN_WITH_PATH, venvPython);

    const wheels = join(s.dir, 'wheels');
    makeWheel(wheels);
    const offline = { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels, PIP_CONFIG_FILE: '/dev/null' };
    const inst = await s.cmWith(
      offline,
      'run',
      'script',
      'get generic-python-lib _package.cmtoy',
      '--adr.python.name=exp',
      '-j',
    );
    assert.equal(inst.code, 0, inst.stderr);
    assert.equal(inst.json().new_env.CM_PYTHONLIB_CMTOY_CACHE_TAGS, 'version-1.2.0');
    assert.match(inst.stderr, /cmtoy is not there .*installing it with .*exp\/bin\/python3 -m pip/);
    const imp = spawnSync(venvPython, ['-c', 'import cmtoy; print(cmtoy.VALUE)'], {
      encoding: 'utf8',
    });
    assert.equal(imp.stdout.trim(), '42', 'installed into the venv');
    const sys = spawnSync('python3', ['-c', 'import cmtoy'], { encoding: 'utf8' });
    assert.notEqual(sys.status, 0, 'not into the system Python');

    // Already installed (pip itself): detected, nothing installed.
    const pip = await s.cm(
      'run',
      'script',
      'get generic-python-lib _pip',
      '--adr.python.name=exp',
      '-j',
    );
    assert.equal(pip.code, 0, pip.stderr);
    assert.match(pip.json().new_env.CM_PIP_VERSION, /^\d+\.\d+/);
    assert.doesNotMatch(pip.stderr, /installing it/);

    const unknown = await s.cmWith(
      offline,
      'run',
      'script',
      'get generic-python-lib _package.cmtoy-nowhere',
      '--adr.python.name=exp',
    );
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no version of "cmtoy-nowhere" was found/);
    const net = await s.cmWith(
      { PIP_RETRIES: '1', PIP_CONFIG_FILE: '/dev/null' },
      'run',
      'script',
      'get generic-python-lib _package.cmtoy-nowhere',
      '--adr.python.name=exp',
      '--index_url=http://127.0.0.1:9/simple',
    );
    assert.equal(net.code, 1);
    assert.match(
      net.stderr,
      /pip could not reach the package index http:\/\/127\.0\.0\.1:9\/simple: no network/,
    );
    const noPkg = await s.cm('run', 'script', 'get generic-python-lib');
    assert.equal(noPkg.code, 1);
    assert.match(noPkg.stderr, /python package variation is not defined .*_package\.#/);
  });
});
