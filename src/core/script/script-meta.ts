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

/**
 * `W` with the keys of `R` replaced by their resolved types; unknown keys are kept. Resolved lists
 * and dicts are read-only: they are shared with the written meta, or one frozen empty default.
 */
type Resolved<W, R> = { [K in keyof W as K extends keyof R ? never : K]: W[K] } & R;

/** A dep with the keys the automation reads normalised; its other keys (run inputs) as written. */
export type ResolvedDep = Resolved<
  DepMeta,
  {
    /** "a,b" or a list: the list, trimmed, without empty tags. */
    tags: readonly string[];
    /** One name or a list: the list. */
    names: readonly string[];
    skip_if_fake_run: boolean;
    inherit_variation_tags: boolean;
    reuse_version: boolean;
    dynamic: boolean;
    force_env_keys: readonly string[];
    update_tags_from_env: readonly string[];
    update_tags_from_env_with_prefix: { readonly [prefix: string]: readonly string[] };
    skip_inherit_variation_groups: readonly string[];
  }
>;

/** adr, ad, add_deps, add_deps_recursive: dep name → update (an empty entry is left out). */
export type ResolvedDepUpdates = { readonly [name: string]: DepUpdateMeta };

/** What the top level, a variation and a version share, resolved (absent: empty). */
export interface ResolvedSubMeta {
  env: Readonly<EnvDict>;
  default_env: Readonly<EnvDict>;
  const: Readonly<EnvDict>;
  state: Readonly<Dict>;
  const_state: Readonly<Dict>;
  deps: readonly ResolvedDep[];
  prehook_deps: readonly ResolvedDep[];
  posthook_deps: readonly ResolvedDep[];
  post_deps: readonly ResolvedDep[];
  ad: ResolvedDepUpdates;
  add_deps: ResolvedDepUpdates;
  adr: ResolvedDepUpdates;
  add_deps_recursive: ResolvedDepUpdates;
  new_env_keys: readonly string[];
  new_state_keys: readonly string[];
  input_mapping: { readonly [flag: string]: string };
  docker: Readonly<DockerMeta>;
  update_meta_if_env: readonly Dict[];
  warnings: readonly string[];
  /** Present only where written: a variation's or version's `cache` overrides the script's. */
  cache?: boolean;
}

export type ResolvedVariation = Resolved<
  VariationMeta,
  ResolvedSubMeta & {
    /** Present only where written: an alias variation may have neither group nor default. */
    default?: boolean;
    base: readonly string[];
    default_variations: { readonly [group: string]: string };
  }
>;

export type ResolvedVersion = Resolved<VersionMeta, ResolvedSubMeta>;

/** A script meta as the engine reads it: every key the engine normalises has its one type. */
export type ResolvedScriptMeta = Resolved<
  ScriptMeta,
  ResolvedSubMeta & {
    tags: readonly string[];
    cache: boolean;
    can_force_cache: boolean;
    /** Default true: the predeps hook runs unless the meta says no. */
    predeps: boolean;
    private: boolean;
    sudo_install: boolean;
    /** A variation written as null (or {}) is {} with the defaults. */
    variations: { [name: string]: ResolvedVariation };
    versions: { [version: string]: ResolvedVersion };
    local_env_keys: readonly string[];
    clean_files: readonly string[];
    clean_output_files: readonly string[];
    clean_env_keys_post_deps: readonly string[];
    print_files_if_script_error: readonly string[];
    cache_key_env: readonly string[];
    cache_key_files: readonly string[];
    file_path_env_keys: readonly string[];
    folder_path_env_keys: readonly string[];
    variation_groups_order: readonly string[];
    valid_variation_combinations: ReadonlyArray<readonly string[]>;
    invalid_variation_combinations: ReadonlyArray<readonly string[]>;
    extra_cache_tags_from_env: ReadonlyArray<{ env?: string; prefix?: string }>;
    customize: Readonly<Dict>;
    print_env_at_the_end: Readonly<Dict>;
    env_key_mappings: { readonly [prefix: string]: string };
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

/** The default of an absent list or dict: one frozen empty value (resolved values are read-only). */
const NONE: readonly never[] = Object.freeze([]);
const EMPTY: { readonly [key: string]: never } = Object.freeze({});

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
  for (const [k, v] of Object.entries(w.variations ?? EMPTY))
    variations[k] = resolveVariation(v ?? {});
  const versions: { [version: string]: ResolvedVersion } = {};
  for (const [k, v] of Object.entries(w.versions ?? EMPTY)) versions[k] = resolveVersion(v ?? {});
  const sub = resolveSubMeta(w);
  // One literal with every resolved key: keys added one by one past a dozen would make V8 turn
  // the object into a slow dictionary (see withWritten).
  const top = {
    env: sub.env,
    default_env: sub.default_env,
    const: sub.const,
    state: sub.state,
    const_state: sub.const_state,
    deps: sub.deps,
    prehook_deps: sub.prehook_deps,
    posthook_deps: sub.posthook_deps,
    post_deps: sub.post_deps,
    ad: sub.ad,
    add_deps: sub.add_deps,
    adr: sub.adr,
    add_deps_recursive: sub.add_deps_recursive,
    new_env_keys: sub.new_env_keys,
    new_state_keys: sub.new_state_keys,
    input_mapping: sub.input_mapping,
    docker: sub.docker,
    update_meta_if_env: sub.update_meta_if_env,
    warnings: sub.warnings,
    tags: tagList(w.tags),
    cache: isTruthy(w.cache),
    can_force_cache: isTruthy(w.can_force_cache),
    predeps: w.predeps === undefined || isTruthy(w.predeps),
    private: isTruthy(w.private),
    sudo_install: isTruthy(w.sudo_install),
    variations,
    versions,
    local_env_keys: w.local_env_keys ?? NONE,
    clean_files: w.clean_files ?? NONE,
    clean_output_files: w.clean_output_files ?? NONE,
    clean_env_keys_post_deps: w.clean_env_keys_post_deps ?? NONE,
    print_files_if_script_error: w.print_files_if_script_error ?? NONE,
    cache_key_env: w.cache_key_env ?? NONE,
    cache_key_files: w.cache_key_files ?? NONE,
    file_path_env_keys: w.file_path_env_keys ?? NONE,
    folder_path_env_keys: w.folder_path_env_keys ?? NONE,
    variation_groups_order: w.variation_groups_order ?? NONE,
    valid_variation_combinations: w.valid_variation_combinations ?? NONE,
    invalid_variation_combinations: w.invalid_variation_combinations ?? NONE,
    extra_cache_tags_from_env: w.extra_cache_tags_from_env ?? NONE,
    customize: w.customize ?? EMPTY,
    print_env_at_the_end: w.print_env_at_the_end ?? EMPTY,
    env_key_mappings: w.env_key_mappings ?? EMPTY,
  };
  return withWritten(top, w);
}

/**
 * `resolved` with each key of `written` it lacks (unknown keys, keys kept as written), as is.
 * `resolved` should be the larger: V8 turns an object that gets more than about a dozen keys added
 * one by one (or `{...a, k1, ..., k40}`) into a slow dictionary, ~100 times slower to build.
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
    env: m.env ?? EMPTY,
    default_env: m.default_env ?? EMPTY,
    const: m.const ?? EMPTY,
    state: m.state ?? EMPTY,
    const_state: m.const_state ?? EMPTY,
    deps: m.deps ? m.deps.map(resolveDep) : NONE,
    prehook_deps: m.prehook_deps ? m.prehook_deps.map(resolveDep) : NONE,
    posthook_deps: m.posthook_deps ? m.posthook_deps.map(resolveDep) : NONE,
    post_deps: m.post_deps ? m.post_deps.map(resolveDep) : NONE,
    ad: resolveDepUpdates(m.ad),
    add_deps: resolveDepUpdates(m.add_deps),
    adr: resolveDepUpdates(m.adr),
    add_deps_recursive: resolveDepUpdates(m.add_deps_recursive),
    new_env_keys: m.new_env_keys ?? NONE,
    new_state_keys: m.new_state_keys ?? NONE,
    input_mapping: m.input_mapping ?? EMPTY,
    docker: m.docker ?? EMPTY,
    update_meta_if_env: m.update_meta_if_env ?? NONE,
    warnings: m.warnings ? m.warnings.map(String) : NONE,
  };
  // Present only where written: a variation's or version's `cache` overrides the script's.
  if (m.cache !== undefined) sub.cache = isTruthy(m.cache);
  return sub;
}

function resolveVariation(v: VariationMeta): ResolvedVariation {
  const own: {
    default?: boolean;
    base: readonly string[];
    default_variations: { readonly [group: string]: string };
  } = { base: v.base ?? NONE, default_variations: v.default_variations ?? EMPTY };
  // Present only where written: an alias variation may have neither group nor default.
  if (v.default !== undefined) own.default = isTruthy(v.default);
  return withWritten(withWritten(resolveSubMeta(v), own), v);
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
    force_env_keys: d.force_env_keys ?? NONE,
    update_tags_from_env: d.update_tags_from_env ?? NONE,
    update_tags_from_env_with_prefix: d.update_tags_from_env_with_prefix ?? EMPTY,
    skip_inherit_variation_groups: d.skip_inherit_variation_groups ?? NONE,
  };
  return withWritten(dep, d);
}

function resolveDepUpdates(
  u: { [name: string]: DepUpdateMeta | null } | undefined,
): ResolvedDepUpdates {
  if (!u) return EMPTY;
  const out: { [name: string]: DepUpdateMeta } = {};
  for (const name in u) if (u[name]) out[name] = u[name];
  return out;
}
