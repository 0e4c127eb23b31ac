// Can this user run privileged commands? Root needs no prefix; otherwise try sudo without a
// password, and ask for one only on a TTY.
import { spawnSync } from 'node:child_process';

function sudoWorks(args, stdio) {
  const r = spawnSync('sudo', args, { stdio, timeout: 60_000 });
  return !r.error && r.status === 0;
}

export function preprocess(i) {
  const env = i.env;
  if (i.os_info.platform === 'windows') {
    env.CM_SUDO = '';
    env.CM_SUDO_USER = 'no';
    return { return: 0 };
  }
  if (typeof process.geteuid === 'function' && process.geteuid() === 0) {
    env.CM_SUDO = '';
    env.CM_SUDO_USER = 'yes';
    return { return: 0 };
  }
  const log = i.automation.cmind.logger;
  let ok = false;
  if (env.CM_TMP_SKIP_SUDO === 'yes') log.info('--skip_sudo: not trying sudo');
  else {
    ok = sudoWorks(['-n', 'true'], 'ignore');
    const interactive = process.stdin.isTTY && process.stdout.isTTY && env.CM_QUIET !== 'yes';
    if (!ok && interactive) {
      log.info('sudo needs a password for privileged installs (Ctrl-C at the prompt to skip)');
      ok = sudoWorks(['-v'], 'inherit');
    } else if (!ok) log.info('sudo is not usable without a password and there is no TTY to ask: privileged installs are off');
  }
  env.CM_SUDO_USER = ok ? 'yes' : 'no';
  env.CM_SUDO = ok ? 'sudo' : '';
  return { return: 0 };
}
