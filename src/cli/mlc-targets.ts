// mlcflow's targets (its word for CM automations) and their actions, each with the CM action that
// does it and the words of its help. Data only: mlc.ts reads a command with it, mlc-help.ts prints it.

/** One action of one mlc target. */
export interface MlcAction {
  name: string;
  /** Other names mlcflow accepts (find = search). */
  aliases: readonly string[];
  /** The CM action that does it. */
  cm: string;
  /** The CM automation when it is not the target's (`mlc experiment script` → experiment). */
  automation?: string;
  /** The first word after the target is tags even without a comma (`mlc run script detect-os`). */
  isDetailsTags?: boolean;
  /** mlcflow flag → the CM flag that means the same (`--tag=v1` → `--checkout=v1`). */
  flagMap?: Readonly<Record<string, string>>;
  summary: string;
  usage: string;
  examples: readonly string[];
  note?: string;
}

export interface MlcTarget {
  name: 'script' | 'cache' | 'repo' | 'experiment';
  /** What the first word after the target names, line by line. */
  identify: readonly string[];
  about: string;
  actions: readonly MlcAction[];
}

const SCRIPT: MlcTarget = {
  name: 'script',
  about: 'scripts: portable automation recipes with deps, variations, versions and a cache',
  identify: [
    'tags:       detect,os  or  "detect os"  or  --tags=detect,os (_name selects a variation)',
    'alias:      detect-os',
    'uid:        863735b7db8c44fc',
    'alias,uid:  detect-os,863735b7db8c44fc',
  ],
  actions: [
    {
      name: 'run',
      aliases: [],
      cm: 'run',
      isDetailsTags: true,
      summary: 'run a script found by its tags, with its deps, variations, versions and cache',
      usage: 'mlc run script TAGS [--flags]        (the same: mlcr TAGS [--flags])',
      examples: ['mlc run script detect,os -j', 'mlc run script "detect os"', 'mlcr detect,os'],
      note: 'the first word is tags, even without a comma, unless it is a uid or ALIAS,UID; the inputs of a script (its input_mapping) are flags too: mlc run script TAGS --help lists them',
    },
    {
      name: 'find',
      aliases: ['search'],
      cm: 'search',
      summary: 'print the paths of the scripts found by name or tags',
      usage: 'mlc find script [ALIAS | TAGS] [--tags=a,b,-c]',
      examples: ['mlc find script --tags=detect,os', 'mlc find script detect-os'],
    },
    {
      name: 'show',
      aliases: [],
      cm: 'show',
      summary: 'print where scripts are and the main keys of their meta',
      usage: 'mlc show script [ALIAS | TAGS] [--tags=a,b]',
      examples: ['mlc show script --tags=detect,os'],
      note: 'find prints the paths only',
    },
    {
      name: 'list',
      aliases: [],
      cm: 'search',
      summary: 'print the paths of all scripts',
      usage: 'mlc list script',
      examples: ['mlc list script'],
    },
    {
      name: 'add',
      aliases: [],
      cm: 'add',
      summary: 'create a script from the template (meta, run.sh, customize.js)',
      usage: 'mlc add script [REPO:]NAME --tags=a,b',
      examples: ['mlc add script get-my-tool --tags=get,my-tool'],
    },
    {
      name: 'rm',
      aliases: [],
      cm: 'delete',
      summary: 'delete scripts (asks unless -f)',
      usage: 'mlc rm script ALIAS | TAGS [-f]',
      examples: ['mlc rm script get-my-tool -f'],
    },
    {
      name: 'cp',
      aliases: [],
      cm: 'copy',
      summary: 'copy a script under a new name (it gets a new uid)',
      usage: 'mlc cp script SOURCE [REPO:]NEW',
      examples: ['mlc cp script detect-os local:my-detect-os'],
    },
    {
      name: 'mv',
      aliases: [],
      cm: 'move',
      summary: 'rename a script or move it to another repo (it keeps its uid)',
      usage: 'mlc mv script ALIAS [REPO:]NEW',
      examples: ['mlc mv script my-detect-os my-os'],
    },
    {
      name: 'help',
      aliases: [],
      cm: 'help',
      summary: 'explain a script: what it does, its variations, inputs and deps',
      usage: 'mlc help script TAGS',
      examples: ['mlc help script detect,os'],
    },
    {
      name: 'lint',
      aliases: [],
      cm: 'lint',
      summary: 'check script metas against the schema and the other scripts (file:line:col lines)',
      usage: 'mlc lint script [ALIAS ...] [--tags=a,b] [--format=json]',
      examples: ['mlc lint script', 'mlc lint script detect-os --format=json'],
    },
    {
      name: 'experiment',
      aliases: [],
      cm: 'run',
      automation: 'experiment',
      isDetailsTags: true,
      summary: 'run a script as an experiment (the same: mlce TAGS)',
      usage: 'mlc experiment script TAGS [--flags]',
      examples: ['mlce detect,os'],
      note: 'this is cm run experiment: it needs the experiment automation (cm find automation lists those installed)',
    },
  ],
};

const CACHE: MlcTarget = {
  name: 'cache',
  about: 'cache entries: what cached script runs left (the env they export, their files)',
  identify: ['tags:  get,python  or  --tags=get,python', 'uid:   the 16 hex digits of an entry'],
  actions: [
    {
      name: 'find',
      aliases: ['search'],
      cm: 'search',
      summary: 'print the paths of the cache entries found by tags or uid',
      usage: 'mlc find cache [UID | TAGS] [--tags=a,b,-c]',
      examples: ['mlc find cache --tags=get,python'],
    },
    {
      name: 'show',
      aliases: [],
      cm: 'show',
      summary: 'list cache entries: tags, path, version (--env: the env they export)',
      usage: 'mlc show cache [UID | TAGS] [--tags=a,b] [--env]',
      examples: ['mlc show cache', 'mlc show cache --tags=detect,cpu --env'],
    },
    {
      name: 'list',
      aliases: [],
      cm: 'show',
      summary: 'list all cache entries (the same as show)',
      usage: 'mlc list cache',
      examples: ['mlc list cache'],
    },
    {
      name: 'rm',
      aliases: [],
      cm: 'delete',
      summary: 'delete cache entries by tags or uid; with neither, all of them (asks unless -f)',
      usage: 'mlc rm cache [UID | TAGS] [--tags=a,b] [-f]',
      examples: ['mlc rm cache --tags=get,python -f', 'mlc rm cache -f'],
    },
    {
      name: 'prune',
      aliases: [],
      cm: 'prune',
      summary: 'remove failed, expired, stale and orphaned cache entries',
      usage: 'mlc prune cache [--tags=a,b] [--dry_run]',
      examples: ['mlc prune cache', 'mlc prune cache --dry_run'],
    },
  ],
};

const REPO: MlcTarget = {
  name: 'repo',
  about: 'repos: git repositories or folders of artifacts, registered in the CM home',
  identify: [
    'OWNER@NAME:  mlcommons@mlperf-automations (pull: a GitHub repo)',
    'URL:         https://github.com/mlcommons/mlperf-automations, file:///srv/git/demo.git',
    'alias, uid, or alias,uid from the cmr.yaml of the repo',
  ],
  actions: [
    {
      name: 'pull',
      aliases: [],
      cm: 'pull',
      flagMap: { tag: 'checkout', shallow: 'depth=1' },
      summary: 'clone (or update) a git repo and register it; with no name, update every git repo',
      usage:
        'mlc pull repo [OWNER@NAME | URL] [--branch=B | --checkout=SHA | --tag=T] [--depth=N | --shallow]',
      examples: [
        'mlc pull repo mlcommons@mlperf-automations',
        'mlc pull repo https://github.com/mlcommons/mlperf-automations --branch=dev',
        'mlc pull repo',
      ],
      note: '--tag=T is --checkout=T and --shallow is --depth=1',
    },
    {
      name: 'add',
      aliases: [],
      cm: 'init',
      summary: 'create a new repo and register it',
      usage: 'mlc add repo NAME [--path=DIR]',
      examples: ['mlc add repo my-repo'],
    },
    {
      name: 'find',
      aliases: ['search'],
      cm: 'search',
      summary: 'print registered repos as "alias,uid = path"',
      usage: 'mlc find repo [ALIAS | UID]',
      examples: ['mlc find repo mlcommons@mlperf-automations'],
    },
    {
      name: 'list',
      aliases: ['show'],
      cm: 'show',
      summary: 'describe registered repos: alias, uid, path, git URL, branch and commit',
      usage: 'mlc list repo [ALIAS]',
      examples: ['mlc list repo'],
    },
    {
      name: 'rm',
      aliases: [],
      cm: 'delete',
      summary: 'unregister a repo; --all also deletes its folder (asks unless -f)',
      usage: 'mlc rm repo ALIAS [--all] [-f]',
      examples: ['mlc rm repo mlcommons@mlperf-automations --all -f'],
      note: 'unlike mlcflow, the folder stays unless --all is given',
    },
  ],
};

const EXPERIMENT: MlcTarget = {
  name: 'experiment',
  about:
    'experiments: recorded runs of scripts over explored inputs (needs the experiment automation)',
  identify: ['tags:  --tags=a,b', 'alias, uid, or alias,uid'],
  actions: [
    {
      name: 'find',
      aliases: ['search'],
      cm: 'search',
      summary: 'print the paths of experiments found by name or tags',
      usage: 'mlc find experiment [ALIAS] [--tags=a,b]',
      examples: ['mlc find experiment --tags=detect,os'],
    },
    {
      name: 'show',
      aliases: [],
      cm: 'show',
      summary: 'describe experiments',
      usage: 'mlc show experiment [ALIAS] [--tags=a,b]',
      examples: ['mlc show experiment --tags=detect,os'],
    },
    {
      name: 'list',
      aliases: [],
      cm: 'search',
      summary: 'print the paths of all experiments',
      usage: 'mlc list experiment',
      examples: ['mlc list experiment'],
    },
    {
      name: 'rm',
      aliases: [],
      cm: 'delete',
      summary: 'delete experiments (asks unless -f)',
      usage: 'mlc rm experiment ALIAS [-f]',
      examples: ['mlc rm experiment my-experiment -f'],
    },
  ],
};

export const MLC_TARGETS: readonly MlcTarget[] = [SCRIPT, CACHE, REPO, EXPERIMENT];

/** The target named `word` (`repos` is `repo`, as in mlcflow). */
export function findTarget(word: string): MlcTarget | undefined {
  const name = word === 'repos' ? 'repo' : word;
  return MLC_TARGETS.find((t) => t.name === name);
}

/** The action of `target` called `word` (an alias too). */
export function findMlcAction(target: MlcTarget, word: string): MlcAction | undefined {
  const name = word.replace(/-/g, '_');
  return target.actions.find((a) => a.name === name || a.aliases.includes(name));
}
