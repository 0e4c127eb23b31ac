// A real Podman for the container tests, set up for this kind of machine (root without systemd,
// no registry reachable) without touching /etc: a private storage root (overlay, else vfs), runc
// (crun refuses hybrid cgroups here), ulimits no higher than the hard limits root may set, all
// through CONTAINERS_CONF/CONTAINERS_STORAGE_CONF. The base image is made locally: a Debian
// bookworm root file system from the package mirror (mmdebstrap), imported once and kept in the
// storage root (in the temp folder) for later runs. When any part is missing, `skip` says why.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BASE_IMAGE = 'localhost/cm-test-base:bookworm';
/** What the generated Dockerfile checks for (ubuntu/debian), so that its build needs no network. */
const PACKAGES = 'python3,python3-venv,git,sudo,wget,ca-certificates';

function sh(cmd, args, env, timeout = 600_000) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout });
  return { ok: !r.error && r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

function has(program) {
  return spawnSync('bash', ['-c', `command -v ${program}`]).status === 0;
}

/** The Debian mirror apt uses here. */
function mirror() {
  const dir = '/etc/apt/sources.list.d';
  const files = existsSync(dir) ? readdirSync(dir).map((f) => join(dir, f)) : [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  for (const f of files) {
    const m = /(?:URIs:|deb)\s+(https?:\/\/\S+\/debian)\b/.exec(readFileSync(f, 'utf8'));
    if (m) return m[1];
  }
  return 'http://deb.debian.org/debian';
}

function writeConf(root, driver) {
  const limits = sh('bash', [
    '-c',
    'ulimit -Hn; ulimit -Hu; cat /proc/sys/kernel/pid_max',
  ]).out.split('\n');
  const nofile = limits[0] === 'unlimited' ? 1048576 : Number(limits[0]);
  const nproc = Math.min(
    limits[1] === 'unlimited' ? Infinity : Number(limits[1]),
    Number(limits[2]),
  );
  mkdirSync(join(root, 'conf'), { recursive: true });
  writeFileSync(
    join(root, 'conf', 'containers.conf'),
    `[containers]\ndefault_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]\n\n` +
      `[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\ntmp_dir = "${root}/tmp"\n`,
  );
  writeFileSync(
    join(root, 'conf', 'storage.conf'),
    `[storage]\ndriver = "${driver}"\nrunroot = "${root}/run"\ngraphroot = "${root}/${driver}"\n`,
  );
  return {
    ...process.env,
    CONTAINERS_CONF: join(root, 'conf', 'containers.conf'),
    CONTAINERS_STORAGE_CONF: join(root, 'conf', 'storage.conf'),
  };
}

/** The env under which `podman` works here, and the base image; or `skip` with the reason. */
export function podmanEnv() {
  if (!has('podman'))
    return { skip: 'podman is not installed (.ci/run installs it: apt-get install podman)' };
  if (!has('runc')) return { skip: 'runc is not installed (.ci/run installs it with podman)' };
  const root = join(tmpdir(), 'cm-podman-tests');
  let env;
  for (const driver of ['overlay', 'vfs']) {
    env = writeConf(root, driver);
    const probe = sh('podman', ['info', '--format', '{{.Store.GraphDriverName}}'], env, 120_000);
    if (probe.ok) break;
    env = undefined;
  }
  if (!env)
    return { skip: 'podman does not start here (podman info fails with overlay and vfs storage)' };
  if (!sh('podman', ['image', 'exists', BASE_IMAGE], env).ok) {
    if (!has('mmdebstrap'))
      return { skip: 'mmdebstrap is not installed: no way to make the base image' };
    const tar = join(root, 'rootfs-bookworm.tar');
    const part = join(root, 'rootfs-bookworm.part.tar'); // mmdebstrap reads the format from the name
    if (!existsSync(tar)) {
      const made = sh(
        'mmdebstrap',
        ['--variant=minbase', `--include=${PACKAGES}`, 'bookworm', part, mirror()],
        env,
        900_000,
      );
      if (!made.ok) {
        rmSync(part, { force: true });
        return {
          skip: `mmdebstrap could not make a Debian root file system: ${made.out.split('\n').slice(-3).join(' ')}`,
        };
      }
      sh('mv', [part, tar], env);
    }
    const imported = sh('podman', ['import', tar, BASE_IMAGE], env);
    if (!imported.ok)
      return { skip: `podman import failed: ${imported.out.split('\n').slice(-2).join(' ')}` };
  }
  return { env };
}

/** `podman ARGS` under `env`: {ok, out}. */
export function podman(env, ...args) {
  return sh('podman', args, env);
}
