// The distributions a generated Dockerfile can start from (spec docker.md §3.1, §4.2 step 5): the
// base image of each version, and how to install the system packages CM needs. Pure.
import { CmError } from '../errors.js';
import { didYouMean } from '../did-you-mean.js';

export interface Distro {
  /** The versions known, the first the default. */
  versions: readonly string[];
  /** The base image of a version. */
  image: (version: string) => string;
  /** Checks that the packages are there (the install is skipped when it succeeds). */
  check: (packages: readonly string[]) => string;
  install: (packages: readonly string[]) => string;
  packages: readonly string[];
}

const APT_PACKAGES = ['python3', 'python3-venv', 'git', 'sudo', 'wget', 'ca-certificates'];
const apt = {
  check: (p: readonly string[]) => `dpkg -s ${p.join(' ')} >/dev/null 2>&1`,
  install: (p: readonly string[]) =>
    `apt-get update -y && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${p.join(' ')} && rm -rf /var/lib/apt/lists/*`,
  packages: APT_PACKAGES,
};

export const DISTROS: Readonly<Record<string, Distro>> = {
  ubuntu: {
    versions: ['22.04', '24.04', '20.04', '18.04'],
    image: (v) => `ubuntu:${v}`,
    ...apt,
  },
  debian: {
    versions: ['12', '11', '13'],
    image: (v) => `debian:${v}`,
    ...apt,
  },
  rhel: {
    versions: ['9', '8'],
    image: (v) => `registry.access.redhat.com/ubi${v.split('.')[0]}`,
    check: (p) => `rpm -q ${p.join(' ')} >/dev/null 2>&1`,
    install: (p) => `dnf install -y ${p.join(' ')} && dnf clean all`,
    packages: ['python3', 'git', 'sudo', 'wget', 'which'],
  },
  arch: {
    versions: ['latest'],
    image: () => 'archlinux',
    check: (p) => `pacman -Q ${p.join(' ')} >/dev/null 2>&1`,
    install: (p) => `pacman -Syu --noconfirm ${p.join(' ')} && pacman -Scc --noconfirm`,
    packages: ['python', 'git', 'sudo', 'wget'],
  },
};

/** The distro named `os` (an error naming the known ones, before anything is written). */
export function distroOf(os: string): Distro {
  const d = DISTROS[os];
  if (d) return d;
  const known = Object.keys(DISTROS);
  const dym = didYouMean(os, known);
  throw new CmError('bad-input', `--docker_os=${os}: not a distribution CM can generate for`, {
    hint: `${dym ? `${dym} ` : ''}Known: ${known.join(', ')}; or give the image with --docker_base_image=IMAGE`,
  });
}

/** The version asked, or the distro's default; an unknown one is refused unless a base image is given. */
export function distroVersion(os: string, asked: string | undefined, baseImage?: string): string {
  const d = distroOf(os);
  if (asked === undefined || asked === '') return d.versions[0]!;
  if (!baseImage && !d.versions.includes(asked))
    throw new CmError('bad-input', `--docker_os_version=${asked}: not a known version of ${os}`, {
      hint: `use one of ${d.versions.join(', ')}, or give the image with --docker_base_image=IMAGE`,
    });
  return asked;
}
