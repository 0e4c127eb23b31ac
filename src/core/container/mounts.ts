// Mounts and the paths they map (spec docker.md §5): `host:container` split at the last colon,
// `${{ VAR }}` placeholders from the env, a path P mounted at /cm-mount/P (a file by its folder),
// and the env keys and inputs that named a mounted path rewritten to the path inside. Pure: the
// one question it asks of the disk (is this a file?) is a function given to it.
import { isDict, type Dict } from '../merge.js';

export const MOUNT_ROOT = '/cm-mount';

export interface Mount {
  host: string;
  container: string;
}

export interface MountPlan {
  mounts: Mount[];
  /** Env keys set to their path inside. */
  envOverrides: Record<string, string>;
  /** Inputs set to their path inside. */
  inputOverrides: Record<string, string>;
  warnings: string[];
}

const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** `a:b` at the last colon (a Windows drive letter keeps its own). */
export function splitMount(spec: string): [string, string] | undefined {
  const i = spec.lastIndexOf(':');
  if (i <= 0 || i === spec.length - 1) return undefined;
  if (i === 1 && /^[A-Za-z]$/.test(spec[0]!)) return undefined;
  return [spec.slice(0, i), spec.slice(i + 1)];
}

/** Where a host path is seen inside: /cm-mount + the path. */
export function containerPathOf(hostPath: string): string {
  const p = hostPath.replace(/\\/g, '/').replace(/^[A-Za-z]:/, '');
  return `${MOUNT_ROOT}${p.startsWith('/') ? '' : '/'}${p}`;
}

function dirOf(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export interface MountInput {
  specs: readonly string[];
  /** The env of the run on the host (input env with the mapped inputs). */
  env: Dict;
  /** input key → env key (the script's input_mapping and docker_input_mapping). */
  inputMapping: Record<string, string>;
  /** The run's input (the values of mapped keys are rewritten). */
  input: Dict;
  filePathEnvKeys: readonly string[];
  isFile: (p: string) => boolean;
  /** A host path as an absolute one (relative ones are the user's working folder's). */
  absolute: (p: string) => string;
}

/** The mounts of a run and what they rewrite (a mount whose variable is unset is dropped, with a warning). */
export function planMounts(m: MountInput): MountPlan {
  const plan: MountPlan = { mounts: [], envOverrides: {}, inputOverrides: {}, warnings: [] };
  for (const spec of m.specs) {
    const vars = [...spec.matchAll(PLACEHOLDER)].map((x) => x[1]!);
    const unset = [...new Set(vars.filter((v) => typeof m.env[v] !== 'string' || m.env[v] === ''))];
    if (unset.length) {
      plan.warnings.push(
        `mount ${spec} left out: ${unset.join(', ')} ${unset.length > 1 ? 'are' : 'is'} not set`,
      );
      continue;
    }
    const parts = splitMount(spec);
    if (!parts) {
      plan.warnings.push(`mount ${spec} left out: not HOST:CONTAINER`);
      continue;
    }
    const hostVar = [...parts[0].matchAll(PLACEHOLDER)][0]?.[1];
    if (hostVar !== undefined) {
      addEnvMount(plan, m, hostVar, spec);
      continue;
    }
    const sub = (s: string) => s.replace(PLACEHOLDER, (_, v: string) => String(m.env[v]));
    addMount(plan, { host: m.absolute(sub(parts[0])), container: sub(parts[1]) }, spec);
  }
  return plan;
}

/** A mount, unless it would give the container the host's whole file system. */
function addMount(plan: MountPlan, mount: Mount, spec: string): boolean {
  if (mount.host === '/') {
    plan.warnings.push(`mount ${spec} left out: it would mount the host's / into the container`);
    return false;
  }
  if (!plan.mounts.some((x) => x.host === mount.host)) plan.mounts.push(mount);
  return true;
}

/** A mount of the path in env key `key`: its folder when a file, and the key and its inputs rewritten. */
function addEnvMount(plan: MountPlan, m: MountInput, key: string, spec: string): void {
  const value = m.absolute(String(m.env[key]));
  const isFile = m.filePathEnvKeys.includes(key) || m.isFile(value);
  const host = isFile ? dirOf(value) : value.replace(/\/+$/, '') || '/';
  const container = containerPathOf(host);
  if (!addMount(plan, { host, container }, spec)) return;
  const inside = isFile
    ? `${container}/${value.slice(host.length).replace(/^\/+/, '')}`
    : container;
  plan.envOverrides[key] = inside;
  for (const [input, env] of Object.entries(m.inputMapping))
    if (env === key && m.input[input] !== undefined) plan.inputOverrides[input] = inside;
}

/** The env a run has on the host before its hooks: input env plus the mapped inputs. */
export function hostEnvOf(input: Dict, inputMapping: Record<string, string>): Dict {
  const env: Dict = { ...(isDict(input['env']) ? input['env'] : {}) };
  for (const [k, e] of Object.entries(inputMapping))
    if (input[k] !== undefined && typeof input[k] !== 'object') env[e] = String(input[k]);
  return env;
}
