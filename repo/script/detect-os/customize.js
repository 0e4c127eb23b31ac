// Turn the raw facts collected by run.sh into the keys the reference's detect-os exports.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE_MANAGERS = [
  { flavors: ['ubuntu', 'debian', 'raspbian', 'linuxmint', 'pop'], name: 'apt', install: 'DEBIAN_FRONTEND=noninteractive apt-get install -y', update: 'apt-get update -y' },
  { flavors: ['rhel', 'centos', 'fedora', 'rocky', 'almalinux', 'amzn', 'ol'], name: 'dnf', install: 'dnf install -y', update: 'dnf update -y' },
  { flavors: ['arch', 'manjaro'], name: 'pacman', install: 'pacman -Sy --noconfirm', update: 'pacman -Syu --noconfirm' },
  { flavors: ['opensuse-leap', 'opensuse-tumbleweed', 'sles'], name: 'zypper', install: 'zypper install -y', update: 'zypper update -y' },
  { flavors: ['alpine'], name: 'apk', install: 'apk add', update: 'apk update' },
  { flavors: ['macos'], name: 'brew', install: 'brew install', update: 'brew update' },
];

export function preprocess(i) {
  const env = i.env;
  env.CM_HOST_OS_TYPE = i.os_info.platform === 'darwin' ? 'darwin' : i.os_info.platform;
  if (i.os_info.platform === 'windows') {
    env.CM_HOST_OS_BITS = i.os_info.bits;
    env.CM_HOST_PLATFORM_FLAVOR = process.arch === 'x64' ? 'x86_64' : process.arch;
  }
  return { return: 0 };
}

export function postprocess(i) {
  const env = i.env;
  const state = i.state;
  env.CM_HOST_PLATFORM_FLAVOR = env.CM_HOST_OS_MACHINE || env.CM_HOST_PLATFORM_FLAVOR || process.arch;
  env.CM_HOST_PYTHON_BITS = i.os_info.python_bits;
  const flavor = (env.CM_HOST_OS_FLAVOR || '').toLowerCase();
  const like = (env.CM_HOST_OS_FLAVOR_LIKE || '').toLowerCase().split(/\s+/);
  const pm = PACKAGE_MANAGERS.find((p) => p.flavors.includes(flavor) || like.some((l) => p.flavors.includes(l)));
  if (pm) {
    env.CM_HOST_OS_PACKAGE_MANAGER = pm.name;
    env.CM_HOST_OS_PACKAGE_MANAGER_INSTALL_CMD = pm.install;
    env.CM_HOST_OS_PACKAGE_MANAGER_UPDATE_CMD = pm.update;
  }
  if (env.CM_HOST_OS_TYPE === 'linux') {
    const m = env.CM_HOST_OS_MACHINE || 'x86_64';
    const dirs = [`/usr/local/lib/${m}-linux-gnu`, `/lib/${m}-linux-gnu`, `/usr/lib/${m}-linux-gnu`, '/usr/local/lib64', '/lib64', '/usr/lib64', '/usr/local/lib', '/lib', '/usr/lib'];
    env['+CM_HOST_OS_DEFAULT_LIBRARY_PATH'] = dirs.filter((d) => existsSync(d));
  }
  const uname = join(process.cwd(), 'tmp-uname.out');
  if (existsSync(uname)) {
    state.os_uname_all = readFileSync(uname, 'utf8').trim();
    state.os_uname_machine = env.CM_HOST_OS_MACHINE || '';
    rmSync(uname, { force: true });
  }
  return { return: 0 };
}
