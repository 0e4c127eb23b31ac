// get-generic-sys-util: detect a system tool by its version command; install it with the host's
// package manager when missing, never asking for anything without a TTY.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9.+_@-]*$/;
const yes = (v) => ['1', 'true', 'yes', 'on'].includes(String(v ?? '').toLowerCase());

/** The package manager and its install command: from detect-os, or (dry run) from the host. */
function packageManager(env) {
  if (env.CM_HOST_OS_PACKAGE_MANAGER && env.CM_HOST_OS_PACKAGE_MANAGER_INSTALL_CMD)
    return { pm: env.CM_HOST_OS_PACKAGE_MANAGER, install: env.CM_HOST_OS_PACKAGE_MANAGER_INSTALL_CMD };
  const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
  if (process.platform === 'darwin' && has('brew')) return { pm: 'brew', install: 'brew install' };
  if (has('apt-get')) return { pm: 'apt', install: 'DEBIAN_FRONTEND=noninteractive apt-get install -y' };
  if (has('dnf')) return { pm: 'dnf', install: 'dnf install -y' };
  if (has('yum')) return { pm: 'yum', install: 'yum install -y' };
  if (has('zypper')) return { pm: 'zypper', install: 'zypper install -y' };
  if (has('apk')) return { pm: 'apk', install: 'apk add' };
  if (has('pacman')) return { pm: 'pacman', install: 'pacman -Sy --noconfirm' };
  return undefined;
}

/** Run the version command; the version (or "undetected"), or undefined when the tool is missing. */
function detect(env) {
  const cmd = env.CM_SYS_UTIL_VERSION_CMD_OVERRIDE || env.CM_SYS_UTIL_VERSION_CMD;
  if (!cmd) return undefined;
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) return undefined;
  const text = env.CM_SYS_UTIL_VERSION_CMD_USE_ERROR_STREAM === 'yes' ? `${r.stdout}${r.stderr}` : r.stdout;
  if (!env.CM_SYS_UTIL_VERSION_RE) return 'undetected';
  const m = new RegExp(env.CM_SYS_UTIL_VERSION_RE).exec(text);
  const g = Number(env.CM_TMP_VERSION_DETECT_GROUP_NUMBER ?? 1);
  return (m && (m[g] ?? m[0])) || 'undetected';
}

function versionKey(env) {
  return `CM_${String(env.CM_SYS_UTIL_NAME).toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/_+$/, '')}_VERSION`;
}

/** The install command, or {error}. */
function installCommand(i, pmInfo) {
  const env = i.env;
  const util = env.CM_SYS_UTIL_NAME;
  if (!pmInfo) return { error: 'no package manager was found on this host (apt, dnf, yum, zypper, apk, pacman or brew)' };
  const packages = i.state[util] ?? (env.CM_SYS_UTIL_PACKAGE ? { [pmInfo.pm]: env.CM_SYS_UTIL_PACKAGE } : undefined);
  let name = packages?.[pmInfo.pm] ?? (pmInfo.pm === 'yum' ? packages?.dnf : undefined);
  if (!name) {
    if (yes(env.CM_GENERIC_SYS_UTIL_IGNORE_MISSING_PACKAGE)) return { ignored: true };
    const known = Object.entries(packages ?? {}).filter(([, v]) => v).map(([k]) => k);
    return { error: `${util} has no package for ${pmInfo.pm}${known.length ? ` (only for ${known.join(', ')})` : ''}`, hint: 'install it by hand, or add --ignore_missing to skip it' };
  }
  name = String(name).replace(/<<<(\w+)>>>/g, (_, k) => String(env[k] ?? ''));
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = pmInfo.pm === 'brew' || root || i.os_info.platform === 'windows' ? '' : 'sudo ';
  return { command: `${sudo}${pmInfo.install} ${name}`, needsSudo: sudo !== '', plain: `${pmInfo.install} ${name}` };
}

export function preprocess(i) {
  const env = i.env;
  const log = i.automation.cmind.logger;
  const util = env.CM_SYS_UTIL_NAME;
  env.CM_SYS_UTIL_INSTALL_CMD = '';
  if (!util) return { return: 1, error: 'which tool? choose a variation such as _wget, _cmake or _package.NAME', hint: 'cm help script get-generic-sys-util lists them' };
  // _package.NAME goes into shell commands: a package name, nothing else.
  if (env.CM_SYS_UTIL_PACKAGE !== undefined && !PACKAGE_NAME.test(String(env.CM_SYS_UTIL_PACKAGE)))
    return { return: 1, error: `"${env.CM_SYS_UTIL_PACKAGE}" is not a package name (_package.NAME: letters, digits and . + _ - @)` };
  if (env.CM_GENERIC_SYS_UTIL_RUN_MODE !== 'install') {
    const v = detect(env);
    if (v !== undefined) {
      env[versionKey(env)] = v;
      log.info(`${util} is installed (version ${v})`);
      return { return: 0 };
    }
  }
  const c = installCommand(i, packageManager(env));
  if (c.ignored) {
    log.warning(`${util} has no package for ${env.CM_HOST_OS_PACKAGE_MANAGER}: ignored (--ignore_missing)`);
    env.CM_TMP_GENERIC_SYS_UTIL_PACKAGE_INSTALL_IGNORED = 'yes';
    return { return: 0 };
  }
  if (c.error) return { return: 1, error: c.error, ...(c.hint ? { hint: c.hint } : {}) };
  // Installing needs root: sudo only when it works without a password (detect-sudo), or on a TTY.
  if (c.needsSudo && env.CM_SUDO_USER !== 'yes') {
    const tty = process.stdin.isTTY && env.CM_QUIET !== 'yes';
    if (!tty)
      return { return: 1, error: `${util} is not installed and installing it needs root; nothing was asked (no TTY)`, hint: `run as root: ${c.plain}` };
  }
  env.CM_SYS_UTIL_INSTALL_CMD = c.needsSudo && env.CM_SUDO_USER === 'yes' ? c.command.replace(/^sudo /, 'sudo -n ') : c.command;
  log.info(`${util} is missing: installing it with ${env.CM_SYS_UTIL_INSTALL_CMD}`);
  return { return: 0 };
}

export function postprocess(i) {
  const env = i.env;
  const key = versionKey(env);
  if (!env[key] && env.CM_TMP_GENERIC_SYS_UTIL_PACKAGE_INSTALL_IGNORED !== 'yes' && env.CM_GET_GENERIC_SYS_UTIL_INSTALL_FAILED !== 'yes' && (env.CM_SYS_UTIL_VERSION_CMD || env.CM_SYS_UTIL_VERSION_CMD_OVERRIDE)) {
    const v = detect(env);
    if (v === undefined && !yes(env.CM_GENERIC_SYS_UTIL_IGNORE_VERSION_DETECTION_FAILURE))
      return { return: 1, error: `${env.CM_SYS_UTIL_NAME} was installed but "${env.CM_SYS_UTIL_VERSION_CMD}" still fails`, hint: 'check the version command, or add --env.CM_GENERIC_SYS_UTIL_IGNORE_VERSION_DETECTION_FAILURE=yes' };
    if (v !== undefined) env[key] = v;
  }
  if (!env[key]) env[key] = 'undetected';
  env.CM_SYS_UTIL_VERSION = env[key];
  env[`CM_GENERIC_SYS_UTIL_${String(env.CM_SYS_UTIL_NAME).toUpperCase()}_CACHE_TAGS`] = `version-${env[key]}`;
  return { return: 0, version: env[key] };
}

/** --dry-run: whether the tool is there, else the command that would install it. */
export function dry_run(i) {
  const env = i.env;
  const log = i.automation.cmind.logger;
  if (!env.CM_SYS_UTIL_NAME) return { return: 0 };
  if (env.CM_SYS_UTIL_PACKAGE !== undefined && !PACKAGE_NAME.test(String(env.CM_SYS_UTIL_PACKAGE))) return { return: 0, commands: [] };
  if (env.CM_GENERIC_SYS_UTIL_RUN_MODE !== 'install') {
    const v = detect(env);
    if (v !== undefined) {
      log.info(`  ${env.CM_SYS_UTIL_NAME} is installed (version ${v}): nothing to install`);
      return { return: 0, commands: [] };
    }
  }
  const c = installCommand(i, packageManager(env));
  if (c.error) {
    log.warning(c.error);
    return { return: 0, commands: [] };
  }
  return { return: 0, commands: c.command ? [c.command] : [] };
}
