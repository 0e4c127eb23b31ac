// A script meta resolved once: the written form (written-meta.ts, generated from the schema) made
// to fit the schema's types, then normalised (lists, flags, dep lists, defaults) into the form the
// engine reads without checking again. Every problem is collected; none is thrown here. Pure.
import { isDict, type Dict } from '../merge.js';
import { tagList } from '../tags.js';
import { isTruthy } from './env.js';
import { conformToSchema, showPath, type Lenient, type SchemaProblem } from './meta-schema.js';
import type {
  DepMeta,
  DepUpdateMeta,
  DockerMeta,
  EnvDict,
  ScriptMeta,
  VariationMeta,
  VersionMeta,
} from './written-meta.js';

export type { ScriptMeta } from './written-meta.js';

/** Where a written meta comes from: its file (for messages) and the schema it is written to. */
export interface ScriptMetaSource {
  /** The meta file; a function, as finding it costs a stat that only a problem needs. */
  file: () => string;
  /** The parsed schema/script-meta.schema.json (compiled once per object). */
  schema: Dict;
}

/** One thing wrong in a meta: where, what was found there, why, and what to write instead. */
export interface MetaProblem {
  /** error: the engine cannot read the value (a run stops); warning: it reads it as `readAs`. */
  severity: 'error' | 'warning';
  /** Keys and list indexes from the meta's root. */
  path: ReadonlyArray<string | number>;
  /** The path as messages write it: `deps[2].tags`. */
  key: string;
  value: unknown;
  /** What is wrong, naming the key (not the file): `deps must be a list (found ...)`. */
  message: string;
  hint?: string;
  /** How the engine reads the value anyway (the schema's x-lenient); only on warnings. */
  readAs?: Lenient;
}

/** `W` with the keys of `R` replaced by their resolved types; unknown keys are kept. */
type Resolved<W, R> = { [K in keyof W as K extends keyof R ? never : K]: W[K] } & R;

/** A dep with the keys the automation reads normalised; its other keys (run inputs) as written. */
export type ResolvedDep = Resolved<
  DepMeta,
  {
    /** "a,b" or a list: the list, trimmed, without empty tags. */
    tags: string[];
    /** One name or a list: the list. */
    names: string[];
    skip_if_fake_run: boolean;
    inherit_variation_tags: boolean;
    reuse_version: boolean;
    dynamic: boolean;
    force_env_keys: string[];
    update_tags_from_env: string[];
    update_tags_from_env_with_prefix: { [prefix: string]: string[] };
    skip_inherit_variation_groups: string[];
  }
>;

/** adr, ad, add_deps, add_deps_recursive: dep name → update (an empty entry is left out). */
export type ResolvedDepUpdates = { [name: string]: DepUpdateMeta };

/** What the top level, a variation and a version share, resolved (absent: empty). */
export interface ResolvedSubMeta {
  env: EnvDict;
  default_env: EnvDict;
  const: EnvDict;
  state: Dict;
  const_state: Dict;
  deps: ResolvedDep[];
  prehook_deps: ResolvedDep[];
  posthook_deps: ResolvedDep[];
  post_deps: ResolvedDep[];
  ad: ResolvedDepUpdates;
  add_deps: ResolvedDepUpdates;
  adr: ResolvedDepUpdates;
  add_deps_recursive: ResolvedDepUpdates;
  new_env_keys: string[];
  new_state_keys: string[];
  input_mapping: { [flag: string]: string };
  docker: DockerMeta;
  update_meta_if_env: Dict[];
  warnings: string[];
  /** Present only where written: a variation's or version's `cache` overrides the script's. */
  cache?: boolean;
}

export type ResolvedVariation = Resolved<
  VariationMeta,
  ResolvedSubMeta & {
    /** Present only where written: an alias variation may have neither group nor default. */
    default?: boolean;
    base: string[];
    default_variations: { [group: string]: string };
  }
>;

export type ResolvedVersion = Resolved<VersionMeta, ResolvedSubMeta>;

/** A script meta as the engine reads it: every key the engine normalises has its one type. */
export type ResolvedScriptMeta = Resolved<
  ScriptMeta,
  ResolvedSubMeta & {
    tags: string[];
    cache: boolean;
    can_force_cache: boolean;
    /** Default true: the predeps hook runs unless the meta says no. */
    predeps: boolean;
    private: boolean;
    sudo_install: boolean;
    /** A variation written as null (or {}) is {} with the defaults. */
    variations: { [name: string]: ResolvedVariation };
    versions: { [version: string]: ResolvedVersion };
    local_env_keys: string[];
    clean_files: string[];
    clean_output_files: string[];
    clean_env_keys_post_deps: string[];
    print_files_if_script_error: string[];
    cache_key_env: string[];
    cache_key_files: string[];
    file_path_env_keys: string[];
    folder_path_env_keys: string[];
    variation_groups_order: string[];
    valid_variation_combinations: string[][];
    invalid_variation_combinations: string[][];
    extra_cache_tags_from_env: Array<{ env?: string; prefix?: string }>;
    customize: Dict;
    print_env_at_the_end: Dict;
    env_key_mappings: { [prefix: string]: string };
  }
>;

/**
 * The meta as the engine reads it, and every problem of `written` against the schema (document
 * order). A value the engine cannot read is an error and is left out (its key resolves to the
 * default); one it reads leniently (`default: "true,"`) is a warning. Values the schema does not
 * describe are shared with `written`: clone before changing them.
 */
export function resolveScriptMeta(
  written: Dict,
  source: ScriptMetaSource,
): { meta: ResolvedScriptMeta; problems: MetaProblem[] } {
  const { value, problems } = conformToSchema(written, source.schema);
  const meta = resolveTop(isDict(value) ? (value as ScriptMeta) : {});
  return { meta, problems: problems.map(metaProblem) };
}

const READ_AS: Record<Lenient, (v: unknown) => string> = {
  truthy: (v) => `read as ${isTruthy(v)}`,
  text: (v) => `read as "${String(v)}"`,
  list: (v) => `read as the list [${String(v)}]`,
  split: (v) => `read as the list [${tagList(v).join(', ')}]`,
  skip: () => 'ignored',
  keep: () => 'kept as written',
};

function metaProblem(p: SchemaProblem): MetaProblem {
  const base = {
    path: p.path,
    key: showPath(p.path) || 'the meta',
    value: p.value,
    ...(p.hint ? { hint: p.hint } : {}),
  };
  if (p.readAs === undefined) return { severity: 'error', ...base, message: p.message };
  const message = `${p.message}: ${READ_AS[p.readAs](p.value)}`;
  return { severity: 'warning', ...base, message, readAs: p.readAs };
}

function resolveTop(w: ScriptMeta): ResolvedScriptMeta {
  const variations: { [name: string]: ResolvedVariation } = {};
  for (const [k, v] of Object.entries(w.variations ?? {}))
    variations[k] = resolveVariation(v ?? {});
  const versions: { [version: string]: ResolvedVersion } = {};
  for (const [k, v] of Object.entries(w.versions ?? {})) versions[k] = resolveVersion(v ?? {});
  const top = {
    tags: tagList(w.tags),
    cache: isTruthy(w.cache),
    can_force_cache: isTruthy(w.can_force_cache),
    predeps: w.predeps === undefined || isTruthy(w.predeps),
    private: isTruthy(w.private),
    sudo_install: isTruthy(w.sudo_install),
    variations,
    versions,
    local_env_keys: w.local_env_keys ?? [],
    clean_files: w.clean_files ?? [],
    clean_output_files: w.clean_output_files ?? [],
    clean_env_keys_post_deps: w.clean_env_keys_post_deps ?? [],
    print_files_if_script_error: w.print_files_if_script_error ?? [],
    cache_key_env: w.cache_key_env ?? [],
    cache_key_files: w.cache_key_files ?? [],
    file_path_env_keys: w.file_path_env_keys ?? [],
    folder_path_env_keys: w.folder_path_env_keys ?? [],
    variation_groups_order: w.variation_groups_order ?? [],
    valid_variation_combinations: w.valid_variation_combinations ?? [],
    invalid_variation_combinations: w.invalid_variation_combinations ?? [],
    extra_cache_tags_from_env: w.extra_cache_tags_from_env ?? [],
    customize: w.customize ?? {},
    print_env_at_the_end: w.print_env_at_the_end ?? {},
    env_key_mappings: w.env_key_mappings ?? {},
  };
  return withWritten(withWritten(top, resolveSubMeta(w)), w);
}

/**
 * `resolved` with each key of `written` it lacks (unknown keys, keys kept as written), as is. No
 * object spread: V8 makes `{...a, k1, ..., k40}` a slow dictionary object (~300 µs each).
 */
function withWritten<R extends object, W extends object>(resolved: R, written: W): Resolved<W, R> {
  const out = resolved as Dict;
  for (const k of Object.keys(written))
    // `__proto__` is refused where metas are read; assigning it would replace the prototype.
    if (!(k in out) && k !== '__proto__') out[k] = (written as Dict)[k];
  return out as Resolved<W, R>;
}

/** The keys a sub-meta shares with the top level, as the schema types them (identical in each). */
type WrittenSubMeta = Pick<VersionMeta, Exclude<keyof ResolvedSubMeta, 'cache'>> & {
  cache?: VersionMeta['cache'];
};

function resolveSubMeta(m: WrittenSubMeta): ResolvedSubMeta {
  const sub: ResolvedSubMeta = {
    env: m.env ?? {},
    default_env: m.default_env ?? {},
    const: m.const ?? {},
    state: m.state ?? {},
    const_state: m.const_state ?? {},
    deps: (m.deps ?? []).map(resolveDep),
    prehook_deps: (m.prehook_deps ?? []).map(resolveDep),
    posthook_deps: (m.posthook_deps ?? []).map(resolveDep),
    post_deps: (m.post_deps ?? []).map(resolveDep),
    ad: resolveDepUpdates(m.ad),
    add_deps: resolveDepUpdates(m.add_deps),
    adr: resolveDepUpdates(m.adr),
    add_deps_recursive: resolveDepUpdates(m.add_deps_recursive),
    new_env_keys: m.new_env_keys ?? [],
    new_state_keys: m.new_state_keys ?? [],
    input_mapping: m.input_mapping ?? {},
    docker: m.docker ?? {},
    update_meta_if_env: m.update_meta_if_env ?? [],
    warnings: (m.warnings ?? []).map(String),
  };
  // Present only where written: a variation's or version's `cache` overrides the script's.
  if (m.cache !== undefined) sub.cache = isTruthy(m.cache);
  return sub;
}

function resolveVariation(v: VariationMeta): ResolvedVariation {
  const own: {
    default?: boolean;
    base: string[];
    default_variations: { [group: string]: string };
  } = { base: v.base ?? [], default_variations: v.default_variations ?? {} };
  // Present only where written: an alias variation may have neither group nor default.
  if (v.default !== undefined) own.default = isTruthy(v.default);
  return withWritten(withWritten(own, resolveSubMeta(v)), v);
}

function resolveVersion(v: VersionMeta): ResolvedVersion {
  return withWritten(resolveSubMeta(v), v);
}

function resolveDep(d: DepMeta): ResolvedDep {
  const dep = {
    tags: tagList(d.tags),
    names: d.names === undefined ? [] : typeof d.names === 'string' ? [d.names] : d.names,
    skip_if_fake_run: isTruthy(d.skip_if_fake_run),
    inherit_variation_tags: isTruthy(d.inherit_variation_tags),
    reuse_version: isTruthy(d.reuse_version),
    dynamic: isTruthy(d.dynamic),
    force_env_keys: d.force_env_keys ?? [],
    update_tags_from_env: d.update_tags_from_env ?? [],
    update_tags_from_env_with_prefix: d.update_tags_from_env_with_prefix ?? {},
    skip_inherit_variation_groups: d.skip_inherit_variation_groups ?? [],
  };
  return withWritten(dep, d);
}

function resolveDepUpdates(
  u: { [name: string]: DepUpdateMeta | null } | undefined,
): ResolvedDepUpdates {
  const out: ResolvedDepUpdates = {};
  for (const [name, update] of Object.entries(u ?? {})) if (update) out[name] = update;
  return out;
}
