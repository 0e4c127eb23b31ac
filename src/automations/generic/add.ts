// `cm add <automation> [repo:]NAME[,UID] [--tags=...] [--meta.KEY=V] [--yaml]` and
// `cm update <automation> NAME --meta.KEY=V [--tags=...] [--replace_lists] [--replace]`.
import { join } from 'node:path';
import { parseArtifactRef, formatName, validateNewName } from '../../core/artifact-ref.js';
import { didYouMean } from '../../core/did-you-mean.js';
import { CmError } from '../../core/errors.js';
import { withFsErrors } from '../../db/fs-error.js';
import { mergeDicts, type Dict } from '../../core/merge.js';
import { tagList, uniqueTags } from '../../core/tags.js';
import { genUid } from '../../db/uid.js';
import { isUid } from '../../core/uid.js';
import { metaFileFor, readArtifactMeta, saveArtifactMeta } from '../../db/artifact.js';
import { createArtifactDir } from '../../db/artifact-write.js';
import { metaFilesOf } from '../../db/repo.js';
import { withLock } from '../../db/lock.js';
import type { Repo } from '../../db/repo.js';
import { matchesName } from '../../core/artifact-ref.js';
import type { ActionSpec, AutomationHandle } from '../action.js';
import type { CmContext } from '../context.js';
import { bool, dict, isForce, str } from '../input.js';
import { artifactView, select } from './select.js';
import { automationFilter } from './select.js';

export function findRepo(ctx: CmContext, name: string | undefined): Repo {
  const repos = ctx.index.repos();
  if (name === undefined || name === '') return repos.find((r) => r.kind === 'local')!;
  const ref = parseArtifactRef(name).artifact;
  const repo = repos.find((r) => matchesName(ref, r.alias, r.uid));
  if (!repo) {
    throw new CmError('repo-not-found', `repository "${name}" not found`, {
      hint:
        didYouMean(
          name,
          repos.map((r) => r.alias),
        ) ?? 'run "cm list repo" to see registered repos',
    });
  }
  return repo;
}

/** Tags given with --tags/--new_tags: `-x` removes x (for update) or is stored literally (add). */
function addTags(existing: unknown, input: Dict, dropNegative: boolean): string[] {
  const current = tagList(existing);
  const given = [...tagList(input['tags']), ...tagList(input['new_tags'])];
  if (!dropNegative) return uniqueTags([...current, ...given]);
  const remove = new Set(given.filter((t) => t.startsWith('-')).map((t) => t.slice(1)));
  return uniqueTags([...current, ...given.filter((t) => !t.startsWith('-'))]).filter(
    (t) => !remove.has(t),
  );
}

export interface NewArtifact {
  path: string;
  meta: Dict;
}

export function addArtifact(
  ctx: CmContext,
  automation: AutomationHandle,
  name: string,
  input: Dict,
): NewArtifact {
  if (automation.pattern !== undefined)
    throw new CmError('bad-input', 'add needs one automation, not a wildcard');
  const ref = parseArtifactRef(name);
  const repo = findRepo(ctx, ref.repo ? formatName(ref.repo) : str(input, 'repo'));
  let { alias, uid } = ref.artifact;
  if (alias === undefined && uid === undefined)
    throw new CmError('bad-name', 'invalid artifact name "": it is empty');
  if (alias !== undefined) validateNewName('artifact', alias);
  const givenUid = uid ?? str(input, 'uid');
  if (givenUid !== undefined && givenUid !== '' && !isUid(givenUid)) {
    throw new CmError('bad-name', `invalid uid "${givenUid}": a uid is 16 hex characters`, {
      hint: 'omit it to get a new one',
    });
  }
  uid = givenUid ? givenUid.toLowerCase() : genUid();
  const same = ctx.index.query({
    automation: automationFilter(automation),
    refs: [{ artifact: { uid } }],
  })[0];
  if (same) {
    throw new CmError(
      'artifact-exists',
      `an artifact with uid ${uid} already exists: ${same.path}`,
      { hint: 'omit the uid to get a new one' },
    );
  }
  const meta: Dict = mergeDicts({}, dict(input, 'meta'));
  if (alias !== undefined) meta['alias'] = alias;
  meta['uid'] = uid;
  meta['automation_alias'] = automation.alias;
  meta['automation_uid'] = automation.uid;
  meta['tags'] = addTags(meta['tags'], input, false);
  const path = join(repo.artifactsRoot, automation.alias, alias ?? uid);
  withFsErrors(
    {
      what: `the ${automation.alias} artifact`,
      target: path,
      hint:
        repo.alias === 'local'
          ? `the local repo is in the CM home ${ctx.paths.root}: fix its permissions, or set CM_REPOS to a writable folder`
          : `repo "${repo.alias}" cannot be written here: add the artifact to another repo (cm add ${automation.alias} local:${alias ?? uid}), or make ${repo.path} writable`,
    },
    () => createArtifactDir(path, meta, bool(input, 'yaml'), metaFilesOf(repo)),
  );
  ctx.index.markStale();
  return { path, meta };
}

export const add: ActionSpec = {
  summary: 'create an artifact (in the local repo unless repo: is given)',
  usage: 'cm add AUTOMATION [repo:]NAME[,UID] [--tags=a,b] [--meta.KEY=VALUE] [--yaml]',
  flags: [
    ['--tags=a,b', 'tags of the new artifact'],
    ['--new_tags=a,b', 'more tags'],
    ['--meta.KEY=VALUE', 'extra meta keys (or @meta.json)'],
    ['--yaml', 'write _cm.yaml instead of _cm.json'],
    ['--repo=NAME', 'the repo to add it to (the same as NAME given as repo:NAME)'],
    ['--uid=UID', 'its uid (the same as NAME,UID; default: a new one)'],
  ],
  run(input, ctx, automation) {
    const name = str(input, 'artifact');
    if (name === undefined || name === '') {
      throw new CmError(
        'bad-name',
        `name the new ${automation.alias} artifact: cm add ${automation.alias} NAME`,
      );
    }
    const { path, meta } = addArtifact(ctx, automation, name, input);
    ctx.emit({ type: 'info', text: `Added CM object at ${path}` });
    return { path, meta, alias: meta['alias'] ?? '', uid: meta['uid'] };
  },
};

export const update: ActionSpec = {
  summary: 'merge meta into artifacts (creates the artifact when it does not exist)',
  usage:
    'cm update AUTOMATION [repo:]NAME [--meta.KEY=VALUE] [--tags=a,-b] [--replace_lists] [--replace] [-f]',
  flags: [
    ['--meta.KEY=VALUE', 'keys to merge (dicts deep-merged, lists appended)'],
    ['--tags=a,-b', 'add tag a, remove tag b'],
    ['--search_tags=...', 'select artifacts by these tags'],
    ['--replace_lists', 'replace lists instead of appending'],
    ['--replace', 'replace the meta (alias, uid, automation kept)'],
    ['--new_tags=a,b', 'tags to add'],
    ['-f, --force', 'update several artifacts without asking'],
    ['--repo=NAME, --uid=UID, --yaml', 'where and how to create it when none matches (as cm add)'],
  ],
  async run(input, ctx, automation) {
    const sel = select(ctx, automation, input, 'search_tags');
    if (sel.found.length === 0) {
      const name = str(input, 'artifact');
      if (name === undefined || name === '')
        throw new CmError('artifact-not-found', `no ${automation.alias} artifact matches`, {
          hint: 'name one',
        });
      const { path, meta } = addArtifact(ctx, automation, name, input);
      ctx.emit({ type: 'info', text: `Added CM object at ${path}` });
      return { path, meta, list: [{ path }] };
    }
    if (sel.found.length > 1 && !isForce(input)) {
      if (!ctx.isInteractive) {
        throw new CmError(
          'not-confirmed',
          `${sel.found.length} artifacts match; refusing to update them all without confirmation`,
          {
            hint: 'add -f to update all of them, or name one',
          },
        );
      }
      if (!(await ctx.confirm(`Update ${sel.found.length} artifacts?`))) {
        throw new CmError('not-confirmed', 'update cancelled');
      }
    }
    const list: Dict[] = [];
    for (const e of sel.found) {
      withLock(join(ctx.paths.locksDir, `artifact-${e.uid || e.alias}.lock`), () => {
        const original = readArtifactMeta(e.path, undefined, undefined, metaFilesOf(e.repo));
        const file = metaFileFor(e.path);
        const base: Dict = bool(input, 'replace')
          ? {
              alias: original['alias'],
              uid: original['uid'],
              automation_alias: original['automation_alias'],
              automation_uid: original['automation_uid'],
            }
          : original;
        const meta = mergeDicts(base, dict(input, 'meta'), {
          appendLists: !bool(input, 'replace_lists'),
        });
        meta['tags'] = addTags(meta['tags'], input, true);
        saveArtifactMeta(e.path, meta);
        ctx.emit({ type: 'info', text: `Updated ${file}` });
        list.push({ ...artifactView(e), meta });
      });
    }
    ctx.index.markStale();
    return {
      list,
      ...(list.length === 1 ? { path: list[0]!['path'], meta: list[0]!['meta'] } : {}),
    };
  },
};
