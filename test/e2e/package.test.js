// End-to-end: the npm package as users get it. `npm pack` makes the tarball from the built tree,
// `npm install -g` puts it in a temporary prefix (its deps from npm's cache), and the installed
// commands run from an unrelated folder with an empty HOME. Slow-ish (npm itself): its own file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { root, sandbox } from './helpers.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

/** npm with the caller's env (its cache is where `npm ci` put fflate and js-yaml), no chatter. */
function npmRun(args, cwd) {
  // onnxruntime-node's install script downloads CUDA libraries (from nuget), which no test machine
  // may reach: a global install (where our package.json's allowScripts does not apply) skips it as
  // its README says. Its CPU libraries are in the package.
  const env = {
    ...process.env,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    ONNXRUNTIME_NODE_INSTALL: 'skip',
  };
  return run(npm, args, { cwd, env });
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(join(dir, e.name), base)
      : [join(dir, e.name).slice(base.length + 1)],
  );
}

test('the packed tarball installs with npm install -g and its commands run from anywhere', () => {
  const s = sandbox('cm-package-');
  const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

  const pack = npmRun(['pack', '--ignore-scripts', '--json', '--pack-destination', s.dir], root);
  assert.equal(pack.code, 0, pack.stderr);
  const tarball = join(s.dir, JSON.parse(pack.stdout)[0].filename);
  assert.ok(existsSync(tarball), tarball);

  const prefix = join(s.dir, 'prefix');
  const install = (mode) =>
    npmRun(
      ['install', '-g', `--prefix=${prefix}`, mode, '--no-audit', '--no-fund', tarball],
      s.dir,
    );
  let inst = install('--offline');
  // A cache that misses something: let npm fetch it.
  if (inst.code !== 0) inst = install('--prefer-offline');
  assert.equal(inst.code, 0, inst.stderr);
  // npm >= 11.16 lists the `prepare` script of a package installed from a file (it does not run
  // it; a package from the registry is exempt): that advisory is npm's, any other warning is ours.
  const warnings = inst.stderr
    .split('\n')
    .filter((l) => /warn/i.test(l) && !l.startsWith('npm warn install-scripts'));
  assert.deepEqual(warnings, [], 'npm install -g prints no warnings');

  const bin = join(prefix, 'bin');
  for (const name of ['cm', 'cmr', 'cme', 'mlc', 'mlcr', 'mlce'])
    assert.ok(existsSync(join(bin, name)), `${name} is installed`);
  const pkg = join(prefix, 'lib', 'node_modules', 'collective-mind');
  assert.deepEqual(
    filesUnder(join(pkg, 'dist')).filter((f) => f.includes('.test.')),
    [],
    'no compiled unit tests in the package',
  );

  // An unrelated folder, an empty HOME, no CM_REPOS: the CM home is created in HOME.
  const home = join(s.dir, 'home');
  const work = join(s.dir, 'work');
  mkdirSync(home);
  mkdirSync(work);
  const env = {
    ...process.env,
    HOME: home,
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH}`,
  };
  for (const k of Object.keys(env)) if (k.startsWith('CM_')) delete env[k];
  const cmd = (name, ...args) => run(join(bin, name), args, { cwd: work, env });

  const v = cmd('cm', 'version');
  assert.equal(v.code, 0, v.stderr);
  assert.equal(v.stdout, `${version}\n`);

  const os = cmd('cmr', 'detect os', '-j', '-s');
  assert.equal(os.code, 0, os.stderr);
  assert.ok(
    JSON.parse(os.stdout).new_env.CM_HOST_OS_TYPE,
    'cmr "detect os" reports CM_HOST_OS_TYPE',
  );
  assert.ok(existsSync(join(home, 'CM', 'repos.json')), 'the CM home is ~/CM');

  const find = cmd('mlc', 'find', 'script');
  assert.equal(find.code, 0, find.stderr);
  assert.ok(
    find.stdout.split('\n').includes(join(pkg, 'repo', 'script', 'detect-os')),
    find.stdout,
  );
  // The schema ships beside the built-in repo: cm lint script finds it.
  assert.ok(
    existsSync(join(pkg, 'schema', 'script-meta.schema.json')),
    'the schema is in the package',
  );
  const lint = cmd('cm', 'lint', 'script', 'detect-os', '--format=json');
  assert.equal(lint.code, 0, lint.stderr);
  assert.equal(JSON.parse(lint.stdout).errors, 0);
  assert.deepEqual(readdirSync(work), [], 'nothing is written in the working folder');
  s.cleanup();
});
