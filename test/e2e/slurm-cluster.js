// A real single-node Slurm for the tests: munged, slurmctld and slurmd started from Debian's
// slurm-wlm and munge packages with a generated slurm.conf, once per machine, shared by test files.
// Not a test file itself; the tests call slurmCluster() and skip with its reason when unavailable.
//
// By hand (as root, after `apt-get install -y slurm-wlm munge`):
//   node -e "import('./test/e2e/slurm-cluster.js').then((m) => m.slurmCluster()).then(console.log)"
//   export SLURM_CONF=/tmp/cm-test-slurm/slurm.conf; sinfo; squeue
// Stop it with:
//   node -e "import('./test/e2e/slurm-cluster.js').then((m) => m.stopSlurmCluster())"
// Everything lives in /tmp/cm-test-slurm (config, munge key and socket, state, spool, logs, pid
// files); there is no systemd: the daemons fork themselves into the background.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const stateDir = '/tmp/cm-test-slurm';
const lockDir = `${stateDir}.lock`;
const confPath = join(stateDir, 'slurm.conf');
const readyPath = join(stateDir, 'ready.json');
const mungeSocket = join(stateDir, 'run', 'munge.sock');
// Not the default ports (6817/6818): a real Slurm on the same machine stays untouched.
const ports = { ctld: 16817, slurmd: 16818 };

const daemons = [
  { name: 'munged', pidFile: join(stateDir, 'run', 'munged.pid') },
  { name: 'slurmctld', pidFile: join(stateDir, 'run', 'slurmctld.pid') },
  { name: 'slurmd', pidFile: join(stateDir, 'run', 'slurmd.pid') },
];
const clients = ['sbatch', 'squeue', 'scancel', 'sinfo', 'scontrol'];

/** Full path of an executable on PATH or in the sbin folders (where Debian puts the daemons). */
function findProgram(name) {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not in this folder: look in the next one
    }
  }
  return undefined;
}

function run(program, args, timeoutMs = 30_000) {
  const r = spawnSync(program, args, {
    encoding: 'utf8',
    env: { ...process.env, SLURM_CONF: confPath },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: timeoutMs,
  });
  return { status: r.error ? -1 : r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

/** The node line: the real topology and memory as slurmd measures them, named localhost. */
function nodeLine(slurmd) {
  const measured = run(slurmd, ['-C']).out.split('\n')[0] ?? '';
  const hardware = /^NodeName=\S+ (.*CPUs=.*RealMemory=\d+)/.exec(measured)?.[1];
  const fallback = `CPUs=${cpus().length} RealMemory=${Math.floor((totalmem() / 2 ** 20) * 0.9)}`;
  return `NodeName=localhost NodeAddr=127.0.0.1 ${hardware ?? fallback} State=UNKNOWN`;
}

function slurmConf(slurmd) {
  return [
    'ClusterName=cmtest',
    'SlurmctldHost=localhost',
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    'CredType=cred/munge',
    `AuthInfo=socket=${mungeSocket}`,
    `SlurmctldPort=${ports.ctld}`,
    `SlurmdPort=${ports.slurmd}`,
    `StateSaveLocation=${join(stateDir, 'ctld-state')}`,
    `SlurmdSpoolDir=${join(stateDir, 'spool')}`,
    `SlurmctldPidFile=${daemons[1].pidFile}`,
    `SlurmdPidFile=${daemons[2].pidFile}`,
    `SlurmctldLogFile=${join(stateDir, 'log', 'slurmctld.log')}`,
    `SlurmdLogFile=${join(stateDir, 'log', 'slurmd.log')}`,
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_CPU',
    'SchedulerType=sched/backfill',
    // A request no node can ever satisfy is refused by sbatch instead of pending forever.
    'EnforcePartLimits=ALL',
    'ReturnToService=2',
    'MpiDefault=none',
    'JobCompType=jobcomp/none',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'SlurmctldTimeout=10',
    'SlurmdTimeout=10',
    'InactiveLimit=0',
    'KillWait=2',
    'Waittime=0',
    'MinJobAge=300',
    'SchedulerParameters=batch_sched_delay=0,sched_min_interval=0',
    nodeLine(slurmd),
    'PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP',
    '',
  ].join('\n');
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid in a daemon's pid file when that process is alive and is that daemon. */
function runningPid({ name, pidFile }) {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const comm = existsSync(`/proc/${pid}/comm`) ? readFileSync(`/proc/${pid}/comm`, 'utf8') : '';
  return comm.trim() === name ? pid : undefined;
}

function nodeState() {
  const r = run('sinfo', ['--noheader', '--nodes=localhost', '--format=%T'], 10_000);
  return r.status === 0 ? r.out.split('\n')[0]?.replace(/[*~#!%$@^-]+$/, '') : undefined;
}

function isHealthy(conf) {
  if (!existsSync(readyPath) || !existsSync(confPath)) return false;
  if (readFileSync(confPath, 'utf8') !== conf) return false;
  if (!daemons.every((d) => runningPid(d) !== undefined)) return false;
  return ['idle', 'mixed', 'allocated', 'completing'].includes(nodeState() ?? '');
}

async function stopDaemons() {
  for (const d of [...daemons].reverse()) {
    const pid = runningPid(d);
    if (pid === undefined) continue;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
}

function logTails() {
  const logs = ['munged.log', 'slurmctld.log', 'slurmd.log'].map((f) => join(stateDir, 'log', f));
  return logs
    .filter((f) => existsSync(f))
    .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').trim().split('\n').slice(-15).join('\n')}`)
    .join('\n');
}

function startDaemon(program, args) {
  const r = run(program, args);
  if (r.status !== 0) {
    throw new Error(`test Slurm: ${program} ${args.join(' ')} failed (${r.status}): ${r.out}`);
  }
}

async function start(programs, conf) {
  await stopDaemons();
  rmSync(stateDir, { recursive: true, force: true });
  for (const d of ['run', 'ctld-state', 'spool', 'log']) {
    mkdirSync(join(stateDir, d), { recursive: true, mode: 0o755 });
  }
  // munged insists on a private key folder and file.
  mkdirSync(join(stateDir, 'munge'), { mode: 0o700 });
  const key = join(stateDir, 'munge', 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o600 });
  startDaemon(programs.munged, [
    '--force',
    `--socket=${mungeSocket}`,
    `--key-file=${key}`,
    `--pid-file=${daemons[0].pidFile}`,
    `--seed-file=${join(stateDir, 'munge', 'munged.seed')}`,
    `--log-file=${join(stateDir, 'log', 'munged.log')}`,
  ]);
  writeFileSync(confPath, conf);
  startDaemon(programs.slurmctld, ['-f', confPath]);
  startDaemon(programs.slurmd, ['-f', confPath, '-N', 'localhost']);
  let state;
  for (let i = 0; i < 150; i++) {
    state = nodeState();
    if (state === 'idle') break;
    await sleep(200);
  }
  if (state !== 'idle') {
    throw new Error(
      `test Slurm: node localhost is "${state ?? 'unknown'}", not idle\n${logTails()}`,
    );
  }
  writeFileSync(readyPath, JSON.stringify({ started_at: new Date().toISOString() }));
}

/** Runs `fn` holding a machine-wide lock (a folder); a lock whose holder died is taken over. */
async function withLock(fn) {
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(join(lockDir, 'pid'), 'utf8').trim() || 'NaN');
      const ageMs = Date.now() - statSync(lockDir).mtimeMs;
      if ((Number.isInteger(holder) && !isAlive(holder)) || ageMs > 180_000) {
        rmSync(lockDir, { recursive: true, force: true });
      } else if (i > 1_000) {
        throw new Error(`test Slurm: ${lockDir} is held by process ${holder}`);
      } else {
        await sleep(200);
      }
    }
  }
  writeFileSync(join(lockDir, 'pid'), String(process.pid));
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * The test cluster, started if it is not already up and healthy: {available: true, env} with the
 * env a Slurm client needs, or {available: false, reason} when Slurm is not installed here (or
 * cannot run). A cluster that is installed but does not come up is an error, not a skip.
 */
export async function slurmCluster() {
  const programs = {};
  const missing = [];
  for (const name of ['munged', 'slurmctld', 'slurmd', ...clients]) {
    programs[name] = findProgram(name);
    if (programs[name] === undefined) missing.push(name);
  }
  if (missing.length > 0) {
    const reason = `Slurm is not installed (no ${missing.join(', ')}): apt-get install slurm-wlm munge`;
    return { available: false, reason };
  }
  if (process.getuid?.() !== 0) {
    return { available: false, reason: 'the test Slurm needs root (slurmd runs jobs as root)' };
  }
  const conf = slurmConf(programs.slurmd);
  await withLock(async () => {
    if (!isHealthy(conf)) await start(programs, conf);
  });
  return { available: true, env: { SLURM_CONF: confPath } };
}

/** Stops the test cluster's daemons (by their pid files) and removes its folder. */
export async function stopSlurmCluster() {
  await withLock(async () => {
    await stopDaemons();
    rmSync(stateDir, { recursive: true, force: true });
  });
}
