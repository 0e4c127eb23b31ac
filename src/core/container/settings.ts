// The settings of `cm docker script` (spec docker.md §3): each one from the command line
// (`--docker_KEY`, or `--docker.KEY` as a dict), else the script's `docker:` meta after its
// variations, else a default. Pure: plain data in, one typed record out.
import { isTrue } from '../script/env.js';
import { isDict, type Dict } from '../merge.js';

export type EngineName = 'docker' | 'podman';

export interface ContainerSettings {
  os: string;
  osVersion: string | undefined;
  baseImage: string | undefined;
  /** The user inside the image: cmuser, or root (no user made). */
  user: string;
  cmRepo: string | undefined;
  cmRepoBranch: string | undefined;
  cmRepoFlags: string | undefined;
  /** --docker_gh_token: a secret, given to the build as a BuildKit secret only. */
  ghToken: string | undefined;
  /** Extra commands that bring repos (each its own RUN). */
  cmRepos: string[];
  copyFiles: string[];
  extraSysDeps: string | undefined;
  realRun: boolean;
  fakeRunDeps: boolean;
  finalCmds: string[];
  preRunCmds: string[];
  postRunCmds: string[];
  runCmdPrefix: string | undefined;
  path: string | undefined;
  imageRepo: string;
  imageName: string | undefined;
  imageTagExtra: string;
  noCache: boolean;
  rebuild: boolean;
  skipBuild: boolean;
  interactive: boolean;
  detached: boolean;
  keep: boolean;
  shellOnFail: boolean;
  mounts: string[];
  allGpus: boolean;
  numGpus: string | undefined;
  device: string | undefined;
  shmSize: string | undefined;
  portMaps: string[];
  extraRunArgs: string | undefined;
  privileged: boolean;
  skipRunCmd: boolean;
  mountCurrentDir: boolean;
  saveScript: string | undefined;
  mapUserId: boolean;
  /** `docker.run: false` in the meta: the script is not run in a container. */
  runAllowed: boolean;
  runOverride: boolean;
  /** Input keys mapped to env keys for mounts (meta docker_input_mapping). */
  inputMapping: Record<string, string>;
  /** Env keys whose values are files (their folder is mounted). */
  filePathEnvKeys: string[];
}

/** `--docker.os=x` (a dict) as flat `docker_os` keys; a flat key given as well wins. */
export function flatDockerInput(input: Dict): Dict {
  const out: Dict = { ...input };
  const d = input['docker'];
  if (isDict(d))
    for (const [k, v] of Object.entries(d)) if (!(`docker_${k}` in out)) out[`docker_${k}`] = v;
  return out;
}

function listOf(v: unknown): string[] {
  if (v === undefined || v === null || v === '' || v === false) return [];
  if (Array.isArray(v)) return v.filter((x) => x !== undefined && x !== null).map(String);
  return [String(v)];
}

function strOf(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '' || v === false) return undefined;
  return String(v);
}

/** A reader of one setting: the flag (any of its names), else the meta key, else undefined. */
function reader(input: Dict, meta: Dict) {
  return (flags: readonly string[], metaKey?: string): unknown => {
    for (const f of flags) if (input[`docker_${f}`] !== undefined) return input[`docker_${f}`];
    return metaKey !== undefined ? meta[metaKey] : undefined;
  };
}

function mappingOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isDict(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** The settings of one `cm docker script` from its (flattened) input and the resolved meta. */
export function containerSettings(input: Dict, meta: Dict, engine: EngineName): ContainerSettings {
  const get = reader(input, meta);
  const flag = (flags: readonly string[], metaKey?: string) => isTrue(get(flags, metaKey));
  const user = strOf(get(['user'], 'user')) ?? (engine === 'podman' ? 'root' : 'cmuser');
  return {
    os: strOf(get(['os'], 'os')) ?? 'ubuntu',
    osVersion: strOf(get(['os_version'], 'os_version')),
    baseImage: strOf(get(['base_image'], 'base_image')),
    user,
    cmRepo: strOf(get(['cm_repo'], 'cm_repo')),
    cmRepoBranch: strOf(get(['cm_repo_branch'], 'cm_repo_branch')),
    cmRepoFlags: strOf(get(['cm_repo_flags'], 'cm_repo_flags')),
    ghToken: strOf(get(['gh_token'])),
    cmRepos: listOf(get(['cm_repos'], 'cm_repos'))
      .flatMap((c) => c.split(','))
      .filter(Boolean),
    copyFiles: listOf(get(['copy_files'], 'copy_files')),
    extraSysDeps: strOf(get(['extra_sys_deps'], 'extra_sys_deps')),
    realRun: flag(['real_run'], 'real_run'),
    fakeRunDeps: isTrue(input['fake_run_deps']) || isTrue(meta['fake_run_deps']),
    finalCmds: listOf(get(['run_final_cmds'], 'docker_run_final_cmds')),
    preRunCmds: listOf(get(['pre_run_cmds'], 'pre_run_cmds')),
    postRunCmds: listOf(get(['post_run_cmds'], 'post_run_cmds')),
    runCmdPrefix: strOf(get(['run_cmd_prefix'], 'run_cmd_prefix')),
    path: strOf(get(['path'])),
    imageRepo: strOf(get(['image_repo'], 'image_repo')) ?? 'local',
    imageName: strOf(get(['image_name'], 'image_name')),
    imageTagExtra: strOf(get(['image_tag_extra'], 'image_tag_extra')) ?? '-latest',
    noCache: String(get(['cache']) ?? 'yes').toLowerCase() === 'no',
    rebuild: flag(['rebuild', 'recreate']),
    skipBuild: flag(['skip_build', 'noregenerate']),
    interactive: flag(['it', 'interactive'], 'interactive'),
    detached: flag(['dt', 'detached'], 'detached'),
    keep: flag(['keep', 'keep_detached'], 'keep_detached'),
    shellOnFail: flag(['shell_on_fail']),
    mounts: listOf(get(['mounts'], 'mounts')),
    allGpus: flag(['all_gpus'], 'all_gpus'),
    numGpus: strOf(get(['num_gpus'], 'num_gpus')),
    device: strOf(get(['device'], 'device')),
    shmSize: strOf(get(['shm_size'], 'shm_size')),
    portMaps: listOf(get(['port_maps'], 'port_maps')),
    extraRunArgs: strOf(get(['extra_run_args'], 'extra_run_args')),
    privileged: flag(['privileged'], 'privileged'),
    skipRunCmd: flag(['skip_run_cmd'], 'skip_run_cmd'),
    mountCurrentDir: flag(['mount_current_dir'], 'mount_current_dir'),
    saveScript: strOf(get(['save_script'])),
    mapUserId: flag(['podman_map_user_id']),
    runAllowed: !('run' in meta) || isTrue(meta['run']) || meta['run'] === undefined,
    runOverride: flag(['run_override']),
    inputMapping: mappingOf(meta['docker_input_mapping']),
    filePathEnvKeys: listOf(meta['file_path_env_keys']),
  };
}
