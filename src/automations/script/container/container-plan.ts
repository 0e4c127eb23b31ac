// What one `cm docker script` will do, decided before anything is written or started: the script,
// its docker settings after variations, the base image, mounts, the inner command, the repos the
// image brings and the image's name. Reads metas and, with --frozen, the lockfile; runs nothing.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { distroOf, distroVersion, type Distro } from '../../../core/container/distros.js';
import { homeOf, type RepoStep } from '../../../core/container/dockerfile.js';
import { imageRefOf, type ImageRef } from '../../../core/container/image-ref.js';
import {
  innerCommandWords,
  pruneInput,
  type PrunedInput,
} from '../../../core/container/inner-command.js';
import {
  containerPathOf,
  hostEnvOf,
  planMounts,
  type MountPlan,
} from '../../../core/container/mounts.js';
import {
  containerSettings,
  flatDockerInput,
  type ContainerSettings,
} from '../../../core/container/settings.js';
import { clone, isDict, mergeDicts, type Dict } from '../../../core/merge.js';
import { resolveVariations, splitScriptTags } from '../../../core/script/variations.js';
import { aliasFromUrl } from '../../../core/repo-url.js';
import { commandLine } from '../../../core/shell-words.js';
import type { Repo } from '../../../db/repo.js';
import type { CmContext } from '../../context.js';
import { str } from '../../input.js';
import { readLockfile } from '../lockfile/lockfile.js';
import { lockedRepo } from '../lockfile/build-lockfile.js';
import { namesAndTags } from '../run-input.js';
import { secretFlagValues } from '../secret-flags.js';
import { findScripts, type Candidate } from '../select.js';
import type { Engine } from './engine.js';

export interface ContainerPlan {
  script: Candidate;
  tags: string[];
  settings: ContainerSettings;
  distro: Distro;
  baseImage: string;
  /** The Dockerfile's name: <os>_<version> or the base image's last part. */
  suffix: string;
  image: ImageRef;
  mounts: MountPlan;
  pruned: PrunedInput;
  /** The command run inside the container (a shell line). */
  inner: string;
  /** The image's pre-installation run. */
  prepare: string;
  repos: RepoStep[];
  /** Repos copied into the context: name → folder on this machine. */
  copiedRepos: Record<string, string>;
  frozen?: string;
  home: string;
  /** Secrets the container gets as env at run time (named in its command, never valued). */
  secrets: Record<string, string>;
}

/** The script's docker meta after its variations (lists appended, as the reference merges). */
function dockerMetaOf(c: Candidate, variations: string[]): Dict {
  const docker: Dict = isDict(c.meta['docker']) ? clone(c.meta['docker']) : {};
  const resolved = resolveVariations(c.entry.alias, c.meta, variations);
  for (const a of resolved.apply)
    if (isDict(a.meta['docker']))
      mergeDicts(docker, clone(a.meta['docker']), { appendLists: true, appendUnique: true });
  return docker;
}

function suffixOf(baseImage: string, given: boolean, os: string, version: string): string {
  if (!given) return `${os}_${version}`;
  return (baseImage.split('/').pop() ?? baseImage).replace(/[:/]/g, '-');
}

/** The repos the image brings: the lockfile's (at their commits), else the script's own. */
function repoSteps(
  ctx: CmContext,
  script: Candidate,
  frozen: string | undefined,
  s: ContainerSettings,
) {
  const steps: RepoStep[] = [];
  const copied: Record<string, string> = {};
  const byAlias = new Map(ctx.index.repos().map((r) => [r.alias, r] as const));
  const wanted: Repo[] = [];
  if (frozen) {
    for (const r of Object.values(readLockfile(frozen).repos)) {
      if (r.kind === 'internal') continue;
      const here = byAlias.get(r.alias);
      if (r.url && r.commit && !r.dirty)
        steps.push({ kind: 'pull', source: r.url, checkout: r.commit });
      else if (here) wanted.push(here);
    }
  } else if (script.entry.repo.kind !== 'internal') wanted.push(script.entry.repo);
  for (const r of wanted) {
    const locked = lockedRepo(ctx, r);
    if (locked.url && locked.commit && !locked.dirty && r.kind === 'registered')
      steps.push({ kind: 'pull', source: locked.url, checkout: locked.commit });
    else {
      const name = r.alias.replace(/[^A-Za-z0-9._@-]/g, '_');
      copied[name] = r.path;
      steps.push({ kind: 'copy', name, contextPath: `repos/${name}` });
    }
  }
  if (s.cmRepo) {
    steps.push({
      kind: 'pull',
      // A GitHub URL as owner@name (the reference's form); any other source as given.
      source: /github\.com[/:]/.test(s.cmRepo) ? aliasFromUrl(s.cmRepo) : s.cmRepo,
      ...(s.cmRepoBranch ? { branch: s.cmRepoBranch } : {}),
      ...(s.cmRepoFlags ? { flags: s.cmRepoFlags } : {}),
    });
  }
  return { steps, copied };
}

/** Secret env of the run: secret keys of --env, and --secret.NAME[=VALUE] (see secret-flags.ts). */
function secretsOf(ctx: CmContext, input: Dict, pruned: PrunedInput): Record<string, string> {
  const out: Record<string, string> = {};
  const env = isDict(input['env']) ? input['env'] : {};
  for (const k of pruned.secretEnvKeys) out[k] = String(env[k]);
  Object.assign(out, secretFlagValues(input['secret'], ctx.env));
  for (const v of Object.values(out)) ctx.secrets.add(v);
  return out;
}

/** The plan of one `cm docker script`. */
export function planContainer(ctx: CmContext, inputIn: Dict, engine: Engine): ContainerPlan {
  const input = flatDockerInput(inputIn);
  // Named as `cm run script` names it: the same words select the same script.
  const { tags, names } = namesAndTags(input);
  const split = splitScriptTags(tags);
  const script = findScripts(ctx, { names, ...split })[0]!;
  const meta = dockerMetaOf(script, split.variations);
  const settings = containerSettings(input, meta, engine.name);
  const distro = distroOf(settings.os);
  const version = distroVersion(settings.os, settings.osVersion, settings.baseImage);
  const baseImage = settings.baseImage ?? distro.image(version);
  const home = homeOf(settings.user);
  const inputMapping: Record<string, string> = {
    ...(isDict(script.meta['input_mapping'])
      ? (script.meta['input_mapping'] as Record<string, string>)
      : {}),
    ...settings.inputMapping,
  };
  const mounts = planMounts({
    specs: settings.mounts,
    env: hostEnvOf(input, inputMapping),
    inputMapping,
    input,
    filePathEnvKeys: settings.filePathEnvKeys,
    isFile: (p) => existsSync(p) && statSync(p).isFile(),
    absolute: (p) => resolve(ctx.cwd, p),
  });
  const pruned = pruneInput(input);
  const secrets = secretsOf(ctx, input, pruned);
  const secretKeys = Object.keys(secrets);
  const frozenArg = str(input, 'frozen');
  const frozen = frozenArg ? resolve(ctx.cwd, frozenArg) : undefined;
  const extra: string[] = ['--env.CM_RUN_STATE_DOCKER=True'];
  const lockArg = str(input, 'lock');
  if (lockArg) {
    const host = dirname(resolve(ctx.cwd, lockArg));
    if (!mounts.mounts.some((m) => m.host === host))
      mounts.mounts.push({ host, container: containerPathOf(host) });
    extra.push(`--lock=${containerPathOf(resolve(ctx.cwd, lockArg))}`);
  }
  const base = {
    tags,
    scriptAlias: script.entry.alias,
    input: pruned.input,
    ...mounts,
    secretEnvKeys: secretKeys,
  };
  const inner = commandLine(
    innerCommandWords({
      ...base,
      extra: [...extra, ...(frozen ? [`--frozen=${home}/cm-lock.json`] : [])],
    }),
  );
  const prepare = commandLine(
    innerCommandWords({
      ...base,
      secretEnvKeys: [],
      extra: [
        ...(settings.realRun ? [] : ['--fake_run']),
        ...(settings.fakeRunDeps ? ['--fake_deps'] : []),
        '--env.CM_RUN_STATE_DOCKER=True',
        '--quiet',
      ],
      skip: Array.isArray(meta['skip_input_for_fake_run'])
        ? meta['skip_input_for_fake_run'].map(String)
        : [],
    }),
  );
  const { steps, copied } = repoSteps(ctx, script, frozen, settings);
  const image = imageRefOf({ ...settings, tags: tags.length ? tags : names, baseImage });
  const suffix = suffixOf(baseImage, settings.baseImage !== undefined, settings.os, version);
  return {
    script,
    tags,
    settings,
    distro,
    baseImage,
    suffix,
    image,
    mounts,
    pruned,
    inner,
    prepare,
    repos: steps,
    copiedRepos: copied,
    ...(frozen ? { frozen } : {}),
    home,
    secrets,
  };
}
