// End-to-end: the tool detectors (get-gcc, get-cmake, get-git, get-llvm, get-cuda) and
// get-generic-sys-util with this machine's real tools and package manager.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { cmBin, parallel, sandbox } from './helpers.js';

const out = (cmd, ...args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? `${r.stdout}${r.stderr}` : undefined;
};
const root = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = out('sh', '-c', 'command -v apt-get') !== undefined;

describe('tool scripts', parallel, () => {
  test('get-gcc, get-cmake and get-git export the found tool and its version', async () => {
    const s = sandbox('cm-tools-');
    const gcc = out('gcc', '--version');
    if (gcc) {
      const r = await s.cm('run', 'script', 'get gcc', '-j', '-s');
      assert.equal(r.code, 0, r.stderr);
      const env = r.json().new_env;
      assert.equal(env.CM_GCC_VERSION, / \(.*\)\s*([\d.]+)/.exec(gcc)[1]);
      assert.equal(env.CM_COMPILER_FAMILY, 'GCC');
      assert.match(env.CM_CXX_COMPILER_WITH_PATH, /g\+\+$/);
      assert.deepEqual(env['+ CFLAGS'], ['-O2']);
      assert.ok(env['+CM_HOST_OS_DEFAULT_INCLUDE_PATH'].length > 0);
      const fast = await s.cm(
        'run',
        'script',
        'get compiler-flags',
        '--env.CM_FAST_COMPILATION=yes',
        '-j',
        '-s',
      );
      assert.deepEqual(fast.json().new_env['+ CFLAGS'], ['-O3']);
      const bad = await s.cm('run', 'script', 'get gcc', '--version_min=999', '-s');
      assert.equal(bad.code, 16);
      assert.match(bad.stderr, /CM error: no gcc satisfies >= 999: found [\d.]+ \(\/\S+gcc\)\n/);
      assert.match(
        bad.stderr,
        /install a gcc that satisfies >= 999\n {2}install it \(e\.g\. apt-get/,
      );
    }
    const cmake = out('cmake', '--version');
    if (cmake) {
      const r = await s.cm('run', 'script', 'get cmake', '-j', '-s');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json().new_env.CM_CMAKE_VERSION, /cmake version ([\d.]+)/.exec(cmake)[1]);
      assert.match(r.json().new_env.CM_MAKE_CORES, /^\d+$/);
    }
    const gitMax = await s.cm('run', 'script', 'get-git', '--version_max=0.1', '-s');
    assert.equal(gitMax.code, 16, gitMax.stderr);
    assert.match(gitMax.stderr, /CM error: no git satisfies <= 0\.1: found [\d.]+ \(\/\S+git\)\n/);
    const git = await s.cm('run', 'script', 'get-git', '-j', '-s');
    assert.equal(git.code, 0, git.stderr);
    assert.equal(
      git.json().new_env.CM_GIT_VERSION,
      /git version ([\d.]+)/.exec(out('git', '--version'))[1],
    );
    // get,compiler in a fresh home: clang when it is installed (get-llvm sorts first), else gcc.
    // (Where a compiler already has a cache entry, that one is taken.)
    const clang = out('clang', '--version');
    const fresh = sandbox('cm-tools-');
    const anyCc = await fresh.cm('run', 'script', 'get compiler', '-j', '-s');
    assert.equal(anyCc.code, 0, anyCc.stderr);
    assert.equal(anyCc.json().new_env.CM_COMPILER_FAMILY, clang ? 'LLVM' : 'GCC');
    if (clang) {
      const l = await s.cm('run', 'script', 'get llvm', '-j', '-s');
      assert.equal(l.code, 0, l.stderr);
      assert.equal(
        l.json().new_env.CM_LLVM_CLANG_VERSION,
        /clang version\s*([\d.]+)/.exec(clang)[1],
      );
      assert.match(l.json().new_env.CM_CXX_COMPILER_WITH_PATH, /clang\+\+$/);
    }
    // A tool that is not there: what was searched and how to install it.
    const empty = join(s.dir, 'empty');
    mkdirSync(empty);
    const llvm = await sandbox('cm-tools-').cm(
      'run',
      'script',
      'get llvm',
      `--path=${empty}`,
      '-s',
    );
    assert.equal(llvm.code, 16);
    assert.match(llvm.stderr, /clang not found in .*empty/);
    assert.match(llvm.stderr, /no script installs it \(none is tagged install,llvm\)/);
    assert.match(llvm.stderr, /apt-get install -y clang/);
    // A script of the same tags in the user's own repo wins over the built-in one, even though
    // the built-in one has a cache entry now.
    const mine = await s.cm('add', 'script', 'my-git', '--tags=git-tool,detect-git');
    assert.equal(mine.code, 0, mine.stderr);
    const pick = await s.cm('run', 'script', 'git-tool detect-git', '-j', '-s');
    assert.equal(pick.code, 0, pick.stderr);
    assert.equal(pick.json().tree.script, 'my-git');
    const help = await s.cm('help', 'script', 'get-gcc');
    assert.match(help.stdout, /exports it as the C and C\+\+ compiler/);
  });

  test('get-cuda: the toolkit behind nvcc, and no driver without a GPU', async () => {
    const s = sandbox('cm-cuda-');
    const nvcc = out('nvcc', '-V');
    if (!nvcc) {
      const r = await s.cm('run', 'script', 'get cuda', `--path=${s.dir}`, '-s');
      assert.equal(r.code, 16);
      assert.match(r.stderr, /no CUDA toolkit found/);
      return;
    }
    const r = await s.cm('run', 'script', 'get cuda', '-j');
    assert.equal(r.code, 0, r.stderr);
    const env = r.json().new_env;
    assert.equal(env.CM_CUDA_VERSION, /release\s*([\d.]+)/.exec(nvcc)[1]);
    assert.ok(
      existsSync(join(env.CUDA_HOME, 'include', 'cuda_runtime.h')),
      `${env.CUDA_HOME} is the toolkit`,
    );
    assert.equal(env.CM_CUDA_VERSION_STRING, `cu${env.CM_CUDA_VERSION.replace('.', '')}`);
    const smi = out('nvidia-smi', '--query-gpu=compute_cap', '--format=csv,noheader');
    if (smi) assert.equal(env.CM_CUDA_COMPUTE_CAPABILITY, smi.trim().split('\n')[0].trim());
    else {
      assert.equal(env.CM_CUDA_NUM_DEVICES, '0');
      assert.match(r.stderr, /no NVIDIA driver or GPU here .*built but not run/);
    }
  });

  test('get-generic-sys-util: detects, shows the command under --dry-run, installs, never prompts', async () => {
    const s = sandbox('cm-sysutil-');
    const r = await s.cm('run', 'script', 'get generic-sys-util _git', '-j', '-s');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.json().new_env.CM_GIT_VERSION,
      /git version ([\d.]+)/.exec(out('git', '--version'))[1],
    );
    const none = await s.cm('run', 'script', 'get generic-sys-util');
    assert.equal(none.code, 1);
    assert.match(none.stderr, /which tool\? choose a variation such as _wget/);
    const inject = await s.cm('run', 'script', 'get generic-sys-util _package.$(touch${IFS}pwned)');
    assert.equal(inject.code, 1);
    assert.match(inject.stderr, /is not a package name/);
    assert.ok(!existsSync(join(s.dir, 'pwned')));
    if (!hasApt) return;
    const plan = await s.cm(
      'run',
      'script',
      'get generic-sys-util _package.cm-no-such-tool',
      '--dry-run',
      '-j',
    );
    assert.equal(plan.code, 0, plan.stderr);
    const cmd = `${root ? '' : 'sudo '}DEBIAN_FRONTEND=noninteractive apt-get install -y cm-no-such-tool`;
    assert.match(
      plan.stderr,
      new RegExp(`would run: ${cmd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    );
    assert.deepEqual(plan.json().tree.commands, [cmd]);
    if (!root) return;
    // As root: apt-get runs for real and its error comes back; --fail_safe records it instead.
    const bad = await s.cm('run', 'script', 'get generic-sys-util _package.cm-no-such-tool');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /Unable to locate package cm-no-such-tool/);
    const safe = await s.cm(
      'run',
      'script',
      'get generic-sys-util _package.cm-no-such-tool2',
      '--fail_safe',
      '-j',
      '-s',
    );
    assert.equal(safe.code, 0, safe.stderr);
    assert.equal(safe.json().new_env.CM_GET_GENERIC_SYS_UTIL_INSTALL_FAILED, 'yes');
    // Not root, no TTY, no password-less sudo: fails at once with the command to run.
    if (!existsSync('/usr/sbin/runuser')) return;
    // nobody must be able to read the CLI (a checkout in a private folder is not readable).
    if (spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', cmBin]).status !== 0) return;
    chmodSync(s.dir, 0o777);
    const u = spawnSync(
      'runuser',
      [
        '-u',
        'nobody',
        '--',
        process.execPath,
        cmBin,
        'run',
        'script',
        'get generic-sys-util _package.cm-no-such-tool',
      ],
      {
        cwd: s.dir,
        env: { PATH: process.env.PATH, HOME: s.dir, CM_REPOS: join(s.dir, 'nobody-home') },
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    if (spawnSync('runuser', ['-u', 'nobody', '--', 'sudo', '-n', 'true']).status === 0) return;
    assert.equal(u.status, 1, u.stderr);
    assert.match(
      u.stderr,
      /cm-no-such-tool is not installed and installing it needs root; nothing was asked \(no TTY\)/,
    );
    assert.match(
      u.stderr,
      /run as root: DEBIAN_FRONTEND=noninteractive apt-get install -y cm-no-such-tool/,
    );
  });
});
