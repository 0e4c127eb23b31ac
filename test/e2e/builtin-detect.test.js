// End-to-end: the built-in detection scripts (detect-cpu, detect-sudo) run for real on this host.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { cmBin, parallel, root as packageRoot, sandbox } from './helpers.js';

const linux = process.platform === 'linux';
const root = typeof process.getuid === 'function' && process.getuid() === 0;

// The keys cm4mlops' detect-cpu exports on every Linux host with lscpu (caches and max MHz only
// where lscpu reports them).
const REFERENCE_LINUX_KEYS = [
  'CM_HOST_CPU_ARCHITECTURE',
  'CM_HOST_CPU_BUGS',
  'CM_HOST_CPU_CFLUSH_SIZE',
  'CM_HOST_CPU_FAMILY',
  'CM_HOST_CPU_FPU_EXCEPTION_SUPPORT',
  'CM_HOST_CPU_FPU_SUPPORT',
  'CM_HOST_CPU_MICROCODE',
  'CM_HOST_CPU_MODEL_NAME',
  'CM_HOST_CPU_NUMA_NODES',
  'CM_HOST_CPU_ON_LINE_CPUS_LIST',
  'CM_HOST_CPU_PHYSICAL_CORES_PER_SOCKET',
  'CM_HOST_CPU_SOCKETS',
  'CM_HOST_CPU_THREADS_PER_CORE',
  'CM_HOST_CPU_TLB_SIZE',
  'CM_HOST_CPU_TOTAL_CORES',
  'CM_HOST_CPU_TOTAL_LOGICAL_CORES',
  'CM_HOST_CPU_VENDOR_ID',
  'CM_HOST_CPU_WRITE_PROTECT_SUPPORT',
  'CM_HOST_DISK_CAPACITY',
  'CM_HOST_MEMORY_CAPACITY',
];

describe('built-in detection scripts', parallel, () => {
  test(
    "detect-cpu exports the reference keys with this host's values",
    { skip: !linux },
    async () => {
      const s = sandbox('cm-cpu-');
      const r = await s.cm('run', 'script', 'detect cpu', '-j', '-s');
      assert.equal(r.code, 0, r.stderr);
      const env = r.json().new_env;
      const hasLscpu = spawnSync('lscpu', { stdio: 'ignore' }).status === 0;
      const expected = hasLscpu
        ? REFERENCE_LINUX_KEYS
        : REFERENCE_LINUX_KEYS.filter((k) => !/NUMA|ON_LINE|SOCKETS|PER_|ARCH|FAMILY/.test(k));
      for (const k of expected)
        assert.ok(k in env, `${k} missing from ${Object.keys(env).join(' ')}`);
      for (const k of Object.keys(env))
        assert.match(k, /^CM_HOST_(CPU_|MEMORY_CAPACITY$|DISK_CAPACITY$)/);
      assert.equal(Number(env.CM_HOST_CPU_TOTAL_LOGICAL_CORES), cpus().length);
      assert.match(env.CM_HOST_CPU_FLAGS ?? '', /\S/, 'instruction-set flags');
      assert.doesNotMatch(env.CM_HOST_CPU_FLAGS, /\s{2}/);
      if (hasLscpu) {
        const t =
          Number(env.CM_HOST_CPU_SOCKETS) *
          Number(env.CM_HOST_CPU_PHYSICAL_CORES_PER_SOCKET) *
          Number(env.CM_HOST_CPU_THREADS_PER_CORE);
        assert.equal(t, cpus().length, 'sockets x cores x threads = logical CPUs');
      }
      const help = await s.cm('help', 'script', 'detect-cpu');
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /NUMA nodes, caches, frequencies/);
    },
  );

  test('detect-sudo: root needs no prefix; a user without sudo rights gets "no" without a prompt', async () => {
    const s = sandbox('cm-sudo-');
    const r = await s.cm('run', 'script', 'detect sudo', '-j', '-s');
    assert.equal(r.code, 0, r.stderr);
    const env = r.json().new_env;
    if (root) assert.deepEqual(env, { CM_SUDO: '', CM_SUDO_USER: 'yes' });
    else assert.ok(['yes', 'no'].includes(env.CM_SUDO_USER));
    // As an unprivileged user with stdin closed: decides at once (sudo -n), never waits.
    if (!root || !existsSync('/usr/sbin/runuser')) return;
    // nobody must be able to read the CLI (a checkout in a private folder is not readable).
    if (spawnSync('runuser', ['-u', 'nobody', '--', 'test', '-r', cmBin]).status !== 0) return;
    chmodSync(s.dir, 0o777);
    const u = spawnSync(
      'runuser',
      ['-u', 'nobody', '--', process.execPath, cmBin, 'run', 'script', 'detect sudo', '-j', '-s'],
      {
        cwd: s.dir,
        env: { PATH: process.env.PATH, HOME: s.dir, CM_REPOS: `${s.dir}/nobody-home` },
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.equal(u.status, 0, u.stderr);
    const e2 = JSON.parse(u.stdout).new_env;
    assert.equal(
      e2.CM_SUDO_USER,
      spawnSync('runuser', ['-u', 'nobody', '--', 'sudo', '-n', 'true']).status === 0
        ? 'yes'
        : 'no',
    );
    assert.equal(e2.CM_SUDO, e2.CM_SUDO_USER === 'yes' ? 'sudo' : '');
    const skip = await s.cm('run', 'script', 'detect sudo', '--skip_sudo', '-j', '-s');
    assert.equal(skip.code, 0, skip.stderr);
  });

  test('cm help script NAME explains every built-in script', async () => {
    const s = sandbox('cm-help-');
    const dir = join(packageRoot, 'repo', 'script');
    for (const name of readdirSync(dir)) {
      const meta = readFileSync(join(dir, name, '_cm.yaml'), 'utf8');
      const first = /description: \|\n {2}(.*)/.exec(meta)?.[1];
      assert.ok(first, `${name} has a description`);
      const r = await s.cm('help', 'script', name);
      assert.equal(r.code, 0, `${name}: ${r.stderr}`);
      assert.ok(r.stdout.includes(first), `${name}: ${r.stdout.slice(0, 300)}`);
      assert.match(r.stdout, new RegExp(`Script "${name}" \\(uid [0-9a-f]{16}\\)`));
    }
  });
});
