// The `cm run script` command run inside the container (spec docker.md §2 step 2, §6): the input
// pruned of what belongs to the host (docker_* keys, output flags, CM_TMP_* env, paths into the
// host's repos and cache, secrets), with paths mapped to their mounts, rebuilt as flags. Pure.
import { isDict, type Dict } from '../merge.js';
import { isSecretEntry } from '../secrets.js';
import { flagsOf } from '../shell-words.js';

/** Keys that never reach the inner command (they belong to this command or to the host). */
const HOST_KEYS = new Set([
  'action',
  'automation',
  'artifact',
  'artifacts',
  'cmd',
  'out',
  'j',
  'json',
  'help',
  'h',
  'parsed_automation',
  'parsed_artifact',
  'self_module',
  'tags',
  'docker',
  'engine',
  'dockerfile_only',
  'print',
  'frozen',
  'lock',
  'repro',
  'secret',
  'fake_run_deps',
]);

/** An env value that names something on the host only (its repos or cache). */
function isHostPath(v: unknown): boolean {
  return typeof v === 'string' && /(local\/cache\/|CM\/repos\/|MLC\/repos\/)/.test(v);
}

export interface PrunedInput {
  /** What the inner command is built from. */
  input: Dict;
  /** Env keys holding secrets: given to the container at run time, never in a command. */
  secretEnvKeys: string[];
  /** Keys (dotted) left out because they held a secret outside env. */
  droppedSecrets: string[];
}

/** Whether `value` (under `key`) holds a secret anywhere: a secret entry, or a URL password, nested or listed. */
export function holdsSecret(key: string, value: unknown, depth = 0): boolean {
  if (isSecretEntry(key, value)) return true;
  if (depth > 32 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((x) => holdsSecret(key, x, depth + 1));
  return Object.entries(value).some(([k, x]) => holdsSecret(k, x, depth + 1));
}

/** The env of the inner command: CM_TMP_*, host paths and secrets out (secret keys named apart). */
function pruneEnv(env: Dict, secretEnvKeys: string[], droppedSecrets: string[]): Dict {
  const out: Dict = {};
  for (const [ek, ev] of Object.entries(env)) {
    if (/^(CM|MLC)_TMP_/.test(ek)) continue;
    if (isSecretEntry(ek, ev)) secretEnvKeys.push(ek);
    else if (holdsSecret(ek, ev)) droppedSecrets.push(`env.${ek}`);
    else if (Array.isArray(ev)) {
      const kept = ev.filter((x) => !isHostPath(x));
      if (kept.length) out[ek] = kept;
    } else if (!isHostPath(ev)) out[ek] = ev;
  }
  return out;
}

/**
 * §2: the input without this command's own keys, the host's paths and its secrets: a secret
 * env key is given to the container by name; any other key holding a secret (nested, listed,
 * a URL with a password) is left out whole, and named for a warning.
 */
export function pruneInput(input: Dict): PrunedInput {
  const out: Dict = {};
  const secretEnvKeys: string[] = [];
  const droppedSecrets: string[] = [];
  for (const [k, v] of Object.entries(input)) {
    if (HOST_KEYS.has(k) || k.startsWith('docker_')) continue;
    if (k === 'env' && isDict(v)) out[k] = pruneEnv(v, secretEnvKeys, droppedSecrets);
    else if (holdsSecret(k, v)) droppedSecrets.push(k);
    else out[k] = v;
  }
  return { input: out, secretEnvKeys, droppedSecrets };
}

export interface InnerCommandSpec {
  /** The tags asked for (variations as _x). */
  tags: readonly string[];
  /** The script's alias, added when every tag is a variation (they alone cannot find it). */
  scriptAlias: string;
  input: Dict;
  /** Env keys set to their paths inside the container. */
  envOverrides: Record<string, string>;
  /** Input keys set to their paths inside the container. */
  inputOverrides: Record<string, string>;
  secretEnvKeys: readonly string[];
  /** Extra flags at the end (--frozen=…, --fake_run, --quiet …). */
  extra: readonly string[];
  /** Keys left out (meta skip_input_for_fake_run in the image's fake run). */
  skip?: readonly string[];
}

/** §6: the words of `cm run script …` that runs the same thing inside the container. */
export function innerCommandWords(s: InnerCommandSpec): string[] {
  const words = ['cm', 'run', 'script'];
  if (s.tags.length && s.tags.every((t) => t.startsWith('_') || t.startsWith('-_')))
    words.push(s.scriptAlias);
  if (s.tags.length) words.push(`--tags=${s.tags.join(',')}`);
  const input: Dict = { ...s.input, ...s.inputOverrides };
  const env: Dict = { ...(isDict(input['env']) ? input['env'] : {}), ...s.envOverrides };
  delete input['env'];
  for (const k of s.skip ?? []) delete input[k];
  const flags: string[] = [];
  for (const [k, v] of Object.entries(input)) flagsOf(k, v, flags);
  for (const [k, v] of Object.entries(env)) flagsOf(`env.${k}`, v, flags);
  for (const k of s.secretEnvKeys) flags.push(`--secret.${k}`);
  return [...words, ...flags, ...s.extra];
}
