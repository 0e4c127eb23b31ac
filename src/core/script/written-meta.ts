// Generated from schema/script-meta.schema.json by scripts/gen-meta-types.js: do not edit.
// The written form of a script meta (_cm.yaml, _cm.json, meta.yaml): every key the schema
// describes, typed as the schema types it; conformToSchema makes a parsed meta fit them.

/** CM / MLC script meta (_cm.yaml, _cm.json, meta.yaml) */
export interface ScriptMeta {
  /** the script name (its folder name) */
  alias?: string;
  /** 16 hex digits */
  uid?: string;
  automation_alias?: string;
  automation_uid?: string;
  /** scripts are found by their tags */
  tags?: string[];
  /** the tags to show in help */
  tags_help?: string;
  /** a human-readable name */
  name?: string;
  /** what the script does (cm help script shows it) */
  description?: string;
  /** a category for docs */
  category?: string;
  category_sort?: number;
  /** order when several scripts match (lowest first) */
  sort?: number;
  developers?: string | unknown[];
  /** --force_cache may turn caching on */
  can_force_cache?: Flag;
  /** variations by name (_NAME in tags); NAME.# is dynamic */
  variations?: { [key: string]: VariationMeta | null };
  /** sub-metas by version */
  versions?: { [key: string]: VersionMeta | null };
  version?: string | number;
  version_min?: string | number;
  version_max?: string | number;
  version_max_usable?: string | number;
  /** flag -> {desc, default, choices, sort ...} (help only) */
  input_description?: { [key: string]: unknown };
  /** flag -> env key inside the container */
  docker_input_mapping?: { [key: string]: string };
  /** files deleted around the native run */
  clean_files?: string[];
  /** files deleted at the start of every run */
  clean_output_files?: string[];
  /** ENV key -> label printed after success */
  print_env_at_the_end?: { [key: string]: unknown };
  extra_cache_tags_from_env?: { env?: string; prefix?: string; [key: string]: unknown }[];
  /** env keys not passed to deps */
  local_env_keys?: string[];
  /** call the predeps hook (default true) */
  predeps?: Flag;
  /** env prefix -> new prefix */
  env_key_mappings?: { [key: string]: string };
  /** files printed when the native script fails */
  print_files_if_script_error?: string[];
  valid_variation_combinations?: string[][];
  invalid_variation_combinations?: string[][];
  /** order of groups in help */
  variation_groups_order?: string[];
  /** env keys removed before post deps */
  clean_env_keys_post_deps?: string[];
  /** passed to the hooks as i["customize"] */
  customize?: { [key: string]: unknown };
  /** the test action */
  tests?: { [key: string]: unknown };
  /** GUI hints */
  gui?: { [key: string]: unknown };
  /** true or false (yes/no/on/off and 1/0 are read the same way) */
  private?: Flag;
  repo_to_report_errors?: string;
  /** the oldest CM that can run this script (CM only) */
  min_cm_version?: string;
  /** the oldest MLC that can run this script (MLC) */
  min_mlc_version?: string;
  /** installs with sudo (MLC) */
  sudo_install?: Flag;
  /** (MLC) */
  variation_tags_alias?: { [key: string]: unknown };
  /** env keys that hold file paths (MLC) */
  file_path_env_keys?: string[];
  /** env keys that hold folder paths (MLC) */
  folder_path_env_keys?: string[];
  /** env set for this script (overrides the caller) */
  env?: EnvDict;
  /** env set unless the caller set it */
  default_env?: EnvDict;
  /** env that nothing can override */
  const?: EnvDict;
  /** state (a dict passed between scripts) */
  state?: { [key: string]: unknown };
  /** state that nothing can override */
  const_state?: { [key: string]: unknown };
  /** scripts run before the preprocess hook */
  deps?: DepMeta[];
  /** scripts run after preprocess, before the native script */
  prehook_deps?: DepMeta[];
  /** scripts run after the native script, before postprocess */
  posthook_deps?: DepMeta[];
  /** scripts run after postprocess */
  post_deps?: DepMeta[];
  /** dep name -> keys merged into the deps with that name */
  ad?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  add_deps?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  adr?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  add_deps_recursive?: DepUpdatesMeta;
  /** env keys (globs) this script exports to its caller */
  new_env_keys?: string[];
  /** state keys (globs) this script exports to its caller */
  new_state_keys?: string[];
  /** command-line flag -> env key */
  input_mapping?: { [key: string]: string };
  /** how `cm docker script` builds and runs a container for this script (open-ended) */
  docker?: DockerMeta;
  /** native script base name instead of run */
  script_name?: string;
  /** version used when none is asked for */
  default_version?: string | number;
  /** cache the results of this script */
  cache?: Flag;
  /** conditional sub-metas */
  update_meta_if_env?: { [key: string]: unknown }[];
  /** printed when the script is not cached */
  warnings?: unknown[];
  /** how long a cache entry lives: 10m, 2h, 3d (MLC) */
  cache_expiration?: string;
  /** env keys whose values are part of the cache key (inputs that are not variations: a URL, a checksum) */
  cache_key_env?: string[];
  /** env keys naming input files whose size and mtime are part of the cache key (a folder: its absolute path) */
  cache_key_files?: string[];
  [key: string]: unknown;
}

/** ENV_KEY: value (+KEY: list appended to PATH-like keys) */
export type EnvDict = { [key: string]: string | number | boolean | unknown[] | null };

/** one dependency: a script selected by tags */
export interface DepMeta {
  /** tags of the script to run: "get,python3" */
  tags?: string | string[];
  /** names that adr/ad and --adr use to update this dep */
  names?: string | string[];
  /** {ENV_KEY: [values]} */
  enable_if_env?: { [key: string]: unknown[] | string | number | boolean | null };
  /** {ENV_KEY: [values]} */
  enable_if_any_env?: { [key: string]: unknown[] | string | number | boolean | null };
  /** {ENV_KEY: [values]} */
  skip_if_env?: { [key: string]: unknown[] | string | number | boolean | null };
  /** {ENV_KEY: [values]} */
  skip_if_any_env?: { [key: string]: unknown[] | string | number | boolean | null };
  /** skip this dep in a fake run */
  skip_if_fake_run?: Flag;
  /** env given to the dep */
  env?: EnvDict;
  /** const env given to the dep */
  const?: EnvDict;
  /** state given to the dep */
  state?: { [key: string]: unknown };
  /** const state given to the dep */
  const_state?: { [key: string]: unknown };
  /** env keys (globs) passed to the dep even when withheld */
  force_env_keys?: string[];
  /** {tag prefix: [ENV keys]} */
  update_tags_from_env_with_prefix?: { [key: string]: string[] };
  /** env keys whose values are added as tags */
  update_tags_from_env?: string[];
  /** pass the caller's variation tags to the dep */
  inherit_variation_tags?: Flag;
  /** variation groups not passed on */
  skip_inherit_variation_groups?: string[];
  /** version the dep must have */
  version?: string | number;
  /** lowest version */
  version_min?: string | number;
  /** highest version */
  version_max?: string | number;
  /** version used when the max is not available */
  version_max_usable?: string | number;
  /** pass the caller's version keys to the dep */
  reuse_version?: Flag;
  /** run the dep also when the caller is a cache hit */
  dynamic?: Flag;
  /** cache the dep even if its meta says no */
  force_cache?: Flag;
  /** more tags of its cache entry */
  extra_cache_tags?: string | unknown[];
  /** tags removed from its cache entry */
  extra_cache_rm_tags?: string | unknown[];
  /** env keys the dep exports in addition */
  force_new_env_keys?: string[];
  /** dep name -> keys merged into the deps with that name */
  ad?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  adr?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  add_deps_recursive?: DepUpdatesMeta;
  /** go on when the dep fails (MLC) */
  continue_on_error?: Flag;
  /** conditional dep updates (MLC) */
  update_meta_if_env?: { [key: string]: unknown }[];
  /** {tag: {ENV: [values]}} (MLC) */
  update_tags_if_env?: { [key: string]: unknown };
  /** the dep's cache entry expires with the caller's (MLC) */
  inherit_cache_expiration?: Flag;
  /** no error when no script matches the tags (MLC) */
  ignore_missing?: Flag;
  [key: string]: unknown;
}

/** dep name -> keys merged into the deps with that name */
export type DepUpdatesMeta = { [key: string]: DepUpdateMeta | null };

/** keys merged into a dep */
export interface DepUpdateMeta {
  /** tags of the script to run: "get,python3" */
  tags?: string | string[];
  /** names that adr/ad and --adr use to update this dep */
  names?: string | string[];
  /** {ENV_KEY: [values]} */
  enable_if_env?: { [key: string]: unknown[] | string | number | boolean | null };
  /** {ENV_KEY: [values]} */
  enable_if_any_env?: { [key: string]: unknown[] | string | number | boolean | null };
  /** {ENV_KEY: [values]} */
  skip_if_env?: { [key: string]: unknown[] | string | number | boolean | null };
  /** {ENV_KEY: [values]} */
  skip_if_any_env?: { [key: string]: unknown[] | string | number | boolean | null };
  /** skip this dep in a fake run */
  skip_if_fake_run?: Flag;
  /** env given to the dep */
  env?: EnvDict;
  /** const env given to the dep */
  const?: EnvDict;
  /** state given to the dep */
  state?: { [key: string]: unknown };
  /** const state given to the dep */
  const_state?: { [key: string]: unknown };
  /** env keys (globs) passed to the dep even when withheld */
  force_env_keys?: string[];
  /** {tag prefix: [ENV keys]} */
  update_tags_from_env_with_prefix?: { [key: string]: string[] };
  /** env keys whose values are added as tags */
  update_tags_from_env?: string[];
  /** pass the caller's variation tags to the dep */
  inherit_variation_tags?: Flag;
  /** variation groups not passed on */
  skip_inherit_variation_groups?: string[];
  /** version the dep must have */
  version?: string | number;
  /** lowest version */
  version_min?: string | number;
  /** highest version */
  version_max?: string | number;
  /** version used when the max is not available */
  version_max_usable?: string | number;
  /** pass the caller's version keys to the dep */
  reuse_version?: Flag;
  /** run the dep also when the caller is a cache hit */
  dynamic?: Flag;
  /** cache the dep even if its meta says no */
  force_cache?: Flag;
  /** more tags of its cache entry */
  extra_cache_tags?: string | unknown[];
  /** tags removed from its cache entry */
  extra_cache_rm_tags?: string | unknown[];
  /** env keys the dep exports in addition */
  force_new_env_keys?: string[];
  /** dep name -> keys merged into the deps with that name */
  ad?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  adr?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  add_deps_recursive?: DepUpdatesMeta;
  /** go on when the dep fails (MLC) */
  continue_on_error?: Flag;
  /** conditional dep updates (MLC) */
  update_meta_if_env?: { [key: string]: unknown }[];
  /** {tag: {ENV: [values]}} (MLC) */
  update_tags_if_env?: { [key: string]: unknown };
  /** the dep's cache entry expires with the caller's (MLC) */
  inherit_cache_expiration?: Flag;
  /** no error when no script matches the tags (MLC) */
  ignore_missing?: Flag;
  [key: string]: unknown;
}

/** a variation: selected by _NAME in the tags */
export interface VariationMeta {
  /** at most one variation of a group is selected */
  group?: string;
  /** the default variation of its group */
  default?: Flag;
  /** variations selected with this one */
  base?: string[];
  /** another variation this name stands for */
  alias?: string;
  /** {group: variation} selected unless another of the group is */
  default_variations?: { [key: string]: string };
  /** MB */
  required_disk_space?: number | string;
  /** printed when the variation is selected */
  warning?: string;
  /** GUI hint */
  default_gui?: boolean | string;
  /** env set for this script (overrides the caller) */
  env?: EnvDict;
  /** env set unless the caller set it */
  default_env?: EnvDict;
  /** env that nothing can override */
  const?: EnvDict;
  /** state (a dict passed between scripts) */
  state?: { [key: string]: unknown };
  /** state that nothing can override */
  const_state?: { [key: string]: unknown };
  /** scripts run before the preprocess hook */
  deps?: DepMeta[];
  /** scripts run after preprocess, before the native script */
  prehook_deps?: DepMeta[];
  /** scripts run after the native script, before postprocess */
  posthook_deps?: DepMeta[];
  /** scripts run after postprocess */
  post_deps?: DepMeta[];
  /** dep name -> keys merged into the deps with that name */
  ad?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  add_deps?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  adr?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  add_deps_recursive?: DepUpdatesMeta;
  /** env keys (globs) this script exports to its caller */
  new_env_keys?: string[];
  /** state keys (globs) this script exports to its caller */
  new_state_keys?: string[];
  /** command-line flag -> env key */
  input_mapping?: { [key: string]: string };
  /** how `cm docker script` builds and runs a container for this script (open-ended) */
  docker?: DockerMeta;
  /** native script base name instead of run */
  script_name?: string;
  /** version used when none is asked for */
  default_version?: string | number;
  /** cache the results of this script */
  cache?: Flag;
  /** conditional sub-metas */
  update_meta_if_env?: { [key: string]: unknown }[];
  /** printed when the script is not cached */
  warnings?: unknown[];
  /** how long a cache entry lives: 10m, 2h, 3d (MLC) */
  cache_expiration?: string;
  [key: string]: unknown;
}

/** keys applied when this version is selected */
export interface VersionMeta {
  /** env set for this script (overrides the caller) */
  env?: EnvDict;
  /** env set unless the caller set it */
  default_env?: EnvDict;
  /** env that nothing can override */
  const?: EnvDict;
  /** state (a dict passed between scripts) */
  state?: { [key: string]: unknown };
  /** state that nothing can override */
  const_state?: { [key: string]: unknown };
  /** scripts run before the preprocess hook */
  deps?: DepMeta[];
  /** scripts run after preprocess, before the native script */
  prehook_deps?: DepMeta[];
  /** scripts run after the native script, before postprocess */
  posthook_deps?: DepMeta[];
  /** scripts run after postprocess */
  post_deps?: DepMeta[];
  /** dep name -> keys merged into the deps with that name */
  ad?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  add_deps?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  adr?: DepUpdatesMeta;
  /** dep name -> keys merged into the deps with that name */
  add_deps_recursive?: DepUpdatesMeta;
  /** env keys (globs) this script exports to its caller */
  new_env_keys?: string[];
  /** state keys (globs) this script exports to its caller */
  new_state_keys?: string[];
  /** command-line flag -> env key */
  input_mapping?: { [key: string]: string };
  /** how `cm docker script` builds and runs a container for this script (open-ended) */
  docker?: DockerMeta;
  /** native script base name instead of run */
  script_name?: string;
  /** version used when none is asked for */
  default_version?: string | number;
  /** cache the results of this script */
  cache?: Flag;
  /** conditional sub-metas */
  update_meta_if_env?: { [key: string]: unknown }[];
  /** printed when the script is not cached */
  warnings?: unknown[];
  /** how long a cache entry lives: 10m, 2h, 3d (MLC) */
  cache_expiration?: string;
  [key: string]: unknown;
}

/** how `cm docker script` builds and runs a container for this script (open-ended) */
export interface DockerMeta {
  /** run the script inside the container */
  run?: Flag;
  /** run for real (not a fake run) inside the container */
  real_run?: Flag;
  /** base image OS */
  os?: string;
  /** base image OS version */
  os_version?: string | number;
  /** base image */
  base_image?: string;
  /** deps run before building the container */
  deps?: DepMeta[];
  /** true or false (yes/no/on/off and 1/0 are read the same way) */
  fake_run_deps?: Flag;
  /** flag -> env key inside the container */
  input_mapping?: { [key: string]: string };
  /** flag -> env key inside the container */
  docker_input_mapping?: { [key: string]: string };
  /** host:container mounts */
  mounts?: string[];
  /** inputs that are paths to mount */
  input_paths?: string[];
  skip_input_for_fake_run?: string[];
  /** commands run in the container first */
  pre_run_cmds?: string[];
  /** host:container ports */
  port_maps?: string[];
  all_gpus?: boolean | string;
  shm_size?: string;
  interactive?: boolean | string;
  extra_run_args?: string;
  /** CM repo cloned in the container (CM only) */
  cm_repo?: string;
  /** (CM only) */
  cm_repo_branch?: string;
  /** (CM only) */
  cm_repo_flags?: string;
  /** (CM only) */
  skip_cm_sys_upgrade?: boolean | string;
  /** MLC repo cloned in the container (MLC only) */
  mlc_repo?: string;
  /** (MLC only) */
  mlc_repo_branch?: string;
  /** (MLC only) */
  mlc_repo_flags?: string;
  /** (MLC only) */
  skip_mlc_sys_upgrade?: boolean | string;
  [key: string]: unknown;
}

/** true or false (yes/no/on/off and 1/0 are read the same way) */
export type Flag = boolean | string | number;
