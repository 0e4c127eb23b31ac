// `cm init|import|list|rm|reindex|detect|where|show repo`: local repo management.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { matchesName, parseArtifactRef, validateNewName } from '../../core/artifact-ref.js';
import { didYouMean } from '../../core/did-you-mean.js';
import { CmError } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';
import { genUid } from '../../db/uid.js';
import { isUid } from '../../core/uid.js';
import { findRepoMetaFile, readRepoMeta, writeRepoMeta, type Repo } from '../../db/repo.js';
import type { ActionSpec } from '../action.js';
import type { CmContext } from '../context.js';
import { artifactNames, bool, isForce, str } from '../input.js';
import { gitQuiet } from './git.js';
import { findRepoRoot, isRegistered, registerRepo, unregisterRepo } from './register.js';

/** A git clone: a .git folder, or `git: true` in its meta. A pulled repo's own cmr.yaml (or an
 *  MLC meta.yaml) rarely says so; pull writes the flag only where it writes the meta. */
export function isGitRepo(r: Repo): boolean {
  return r.git || existsSync(join(r.path, '.git'));
}

function repoView(r: Repo): Dict {
  return {
    alias: r.alias,
    uid: r.uid,
    path: r.path,
    prefix: r.prefix,
    kind: r.kind,
    git: isGitRepo(r),
  };
}

export function selectRepos(ctx: CmContext, names: string[]): Repo[] {
  const repos = ctx.index.repos();
  if (names.length === 0) return repos;
  const refs = names.map((n) => parseArtifactRef(n).artifact);
  return repos.filter((r) => refs.some((ref) => matchesName(ref, r.alias, r.uid)));
}

function repoNotFound(ctx: CmContext, name: string): CmError {
  return new CmError('repo-not-found', `repository "${name}" not found`, {
    hint:
      didYouMean(
        name,
        ctx.index.repos().map((r) => r.alias),
      ) ?? 'run "cm list repo" to see registered repos',
  });
}

export function selectRepo(ctx: CmContext, name: string | undefined): Repo {
  if (!name)
    throw new CmError('bad-input', 'name the repo', { hint: 'run "cm list repo" to see them' });
  const found = selectRepos(ctx, [name]);
  if (found.length === 0) throw repoNotFound(ctx, name);
  if (found.length > 1)
    throw new CmError(
      'artifact-ambiguous',
      `several repos match "${name}": ${found.map((r) => r.alias).join(', ')}`,
    );
  return found[0]!;
}

export const init: ActionSpec = {
  summary: 'create a new repo (cmr.yaml) and register it',
  usage: 'cm init repo [NAME] [--path=DIR] [--prefix=SUBDIR] [--desc=TEXT] [--uid=UID]',
  flags: [
    ['--path=DIR', 'where to create it (default $CM_REPOS/repos/NAME, or "." with no NAME)'],
    ['--prefix=SUBDIR', 'keep artifacts under this sub-folder'],
    ['--desc=TEXT', 'description'],
    ['--uid=UID', 'its uid (default: a new one)'],
  ],
  run(input, ctx) {
    const name = str(input, 'artifact');
    const pathFlag = str(input, 'path');
    const root = pathFlag
      ? resolve(ctx.cwd, pathFlag)
      : name
        ? join(ctx.paths.reposDir, name)
        : ctx.cwd;
    const alias = name || basename(root).toLowerCase();
    validateNewName('repo', alias);
    if (findRepoMetaFile(root)) {
      const { meta } = readRepoMeta(root);
      if (isRegistered(ctx, root)) {
        throw new CmError('repo-exists', `Repository "${meta.alias}" is already registered in CM`, {
          hint: `it is at ${root}`,
        });
      }
      registerRepo(ctx, root, meta);
      ctx.emit({ type: 'info', text: `Registered existing repo ${meta.alias} at ${root}` });
      return { path: root, alias: meta.alias, uid: meta.uid };
    }
    const uid = str(input, 'uid') || genUid();
    if (!isUid(uid))
      throw new CmError('bad-name', `invalid uid "${uid}": a uid is 16 hex characters`);
    const prefix = str(input, 'prefix') || '';
    if (prefix.includes('..') || prefix.startsWith('/'))
      throw new CmError('bad-name', `invalid prefix "${prefix}": must be a sub-folder`);
    const raw: Dict = { alias, uid, git: false };
    const desc = str(input, 'desc');
    if (desc) raw['desc'] = desc;
    if (prefix) raw['prefix'] = prefix;
    mkdirSync(join(root, prefix), { recursive: true });
    writeRepoMeta(root, raw);
    try {
      registerRepo(ctx, root, readRepoMeta(root).meta);
    } catch (e) {
      rmSync(join(root, 'cmr.yaml'), { force: true });
      throw e;
    }
    ctx.emit({ type: 'info', text: `Created repo ${alias} (uid ${uid}) at ${root}` });
    return { path: root, alias, uid };
  },
};

export const ximport: ActionSpec = {
  summary: 'register an existing repo folder (finds cmr.yaml at or above --path)',
  usage: 'cm import repo --path=DIR',
  flags: [['--path=DIR', 'a folder in the repo (default: the working folder)']],
  run(input, ctx) {
    const start = resolve(ctx.cwd, str(input, 'path') || str(input, 'artifact') || '.');
    if (!existsSync(start)) throw new CmError('file-not-found', `${start} does not exist`);
    const root = findRepoRoot(start);
    if (!root) {
      throw new CmError('repo-not-found', `no cmr.yaml or cmr.json at or above ${start}`, {
        hint: `make it a repo first: cm init repo --path=${start}`,
      });
    }
    const { meta } = readRepoMeta(root);
    if (isRegistered(ctx, root)) {
      ctx.emit({ type: 'info', text: `Repo ${meta.alias} is already registered (${root})` });
    } else {
      registerRepo(ctx, root, meta);
      ctx.emit({ type: 'info', text: `Registered repo ${meta.alias} at ${root}` });
    }
    return { path: root, alias: meta.alias, uid: meta.uid };
  },
};

export const search: ActionSpec = {
  summary: 'list repos in search order: "alias,uid = path" (--min: paths only)',
  usage: 'cm list repo [NAME ...] [--min]',
  flags: [['--min', 'print paths only']],
  run(input, ctx) {
    const repos = selectRepos(ctx, artifactNames(input));
    const min = bool(input, 'min');
    for (const r of repos)
      ctx.emit({ type: 'output', text: min ? r.path : `${r.alias},${r.uid} = ${r.path}` });
    return { list: repos.map(repoView) };
  },
};

export const where: ActionSpec = {
  summary: 'print the path of a repo',
  usage: 'cm where repo NAME',
  flags: [],
  run(input, ctx) {
    const r = selectRepo(ctx, str(input, 'artifact'));
    ctx.emit({ type: 'output', text: r.path });
    return { path: r.path, repo: repoView(r) };
  },
};

export const show: ActionSpec = {
  summary: 'describe repos: alias, uid, path, prefix, git URL, branch and commit',
  usage: 'cm show repo [NAME]',
  flags: [],
  run(input, ctx) {
    const names = artifactNames(input);
    // Unlike a search (cm list repo NAME), showing a repo that is not there is "not found".
    for (const n of names) if (selectRepos(ctx, [n]).length === 0) throw repoNotFound(ctx, n);
    const repos = selectRepos(ctx, names);
    const list: Dict[] = [];
    for (const r of repos) {
      const v = repoView(r);
      if (existsSync(join(r.path, '.git'))) {
        v['git_url'] = gitQuiet(ctx, ['config', '--get', 'remote.origin.url'], r.path) ?? '';
        v['git_branch'] = gitQuiet(ctx, ['rev-parse', '--abbrev-ref', 'HEAD'], r.path) ?? '';
        v['git_commit'] = gitQuiet(ctx, ['rev-parse', 'HEAD'], r.path) ?? '';
      }
      list.push(v);
      ctx.emit({
        type: 'output',
        text:
          Object.entries(v)
            .map(([k, x]) => `${k.padEnd(10)} ${String(x)}`)
            .join('\n') + '\n',
      });
    }
    return { list };
  },
};

export const del: ActionSpec = {
  summary: 'unregister a repo (--all also deletes its files); asks unless -f',
  usage: 'cm rm repo NAME [--all] [-f]',
  flags: [
    ['--all', 'also delete the folder'],
    ['-f, --force', 'do not ask'],
  ],
  async run(input, ctx) {
    const repo = selectRepo(ctx, str(input, 'artifact'));
    if (repo.kind !== 'registered')
      throw new CmError('bad-input', `the ${repo.kind} repo cannot be removed`);
    const all = bool(input, 'all');
    if (!isForce(input)) {
      if (!ctx.isInteractive) {
        throw new CmError(
          'not-confirmed',
          `refusing to ${all ? 'delete' : 'unregister'} repo ${repo.alias} without confirmation: stdin is not a terminal`,
          {
            hint: 'add -f to do it without asking',
          },
        );
      }
      if (
        !(await ctx.confirm(`${all ? 'Delete' : 'Unregister'} repo ${repo.alias} (${repo.path})?`))
      ) {
        throw new CmError('not-confirmed', 'cancelled');
      }
    }
    unregisterRepo(ctx, repo);
    if (all) {
      rmSync(repo.path, { recursive: true, force: true });
      ctx.emit({
        type: 'info',
        text: `CM repository ${repo.alias} was unregistered and its folder deleted`,
      });
    } else {
      ctx.emit({
        type: 'info',
        text: `CM repository ${repo.alias} was unregistered from CM but its content was not deleted (${repo.path})`,
      });
    }
    return { path: repo.path, alias: repo.alias, deleted: all };
  },
};

export const reindex: ActionSpec = {
  summary: 'rebuild the artifact index from scratch',
  usage: 'cm reindex repo',
  flags: [],
  run(_input, ctx) {
    const t = Date.now();
    const count = ctx.index.rebuild();
    ctx.emit({
      type: 'info',
      text: `Indexed ${count} artifacts in ${ctx.index.repos().length} repos (${Date.now() - t} ms)`,
    });
    return { artifacts: count };
  },
};

export const detect: ActionSpec = {
  summary: 'tell which repo, automation and artifact the current folder belongs to',
  usage: 'cm detect repo [--path=DIR]',
  flags: [['--path=DIR', 'a folder in the repo (default: the working folder)']],
  run(input, ctx) {
    const start = resolve(ctx.cwd, str(input, 'path') || '.');
    const root = findRepoRoot(start);
    if (!root) {
      ctx.emit({ type: 'output', text: 'CM repository not found' });
      return { found: false };
    }
    const { meta } = readRepoMeta(root);
    const registered = isRegistered(ctx, root);
    const rel = relative(join(root, meta.prefix), start)
      .split(sep)
      .filter((p) => p !== '' && p !== '..');
    const result: Dict = { found: true, path: root, alias: meta.alias, uid: meta.uid, registered };
    const lines = [
      `CM repository path: ${root}`,
      `Alias: ${meta.alias}`,
      `UID: ${meta.uid}`,
      `Registered: ${registered}`,
    ];
    if (rel[0]) {
      result['automation_alias'] = rel[0];
      lines.push(`Automation alias: ${rel[0]}`);
    }
    if (rel[1]) {
      result['artifact_alias'] = rel[1];
      lines.push(`Artifact alias: ${rel[1]}`);
    }
    ctx.emit({ type: 'output', text: lines.join('\n') });
    return result;
  },
};
