// The `script` automation (uid 5b4e0237da074764): run, prepare, find with variations, add from a
// template, per-script help.
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';
import { isTrue } from '../../core/script/env.js';
import { splitScriptTags } from '../../core/script/variations.js';
import { tagList } from '../../core/tags.js';
import type { ActionSpec, ActionTable } from '../action.js';
import { addArtifact } from '../generic/add.js';
import { help as genericHelp } from '../generic/help.js';
import { artifactView } from '../generic/select.js';
import { artifactNames, bool, str } from '../input.js';
import { scriptHelpText } from './help.js';
import { importModule } from '../import-module.js';
import { writeFileAtomic } from '../../db/atomic-file.js';
import { lint } from './lint.js';
import { checkFrozenBeforeRun } from './lockfile/frozen.js';
import { finishLockfiles, lockRequestOf, withoutRunLockEnv } from './lockfile/run-lockfiles.js';
import { schemaPath } from './meta-source.js';
import { renderExplain, renderPlan } from './plan.js';
import { writeReproOutput } from './repro-output.js';
import { runTree } from './run.js';
import { newShared, type RunNode } from './run-shared.js';
import { RUN_FLAGS, warnUnusedFlags } from './run-flags.js';
import { findScripts, SCRIPT_FILTER } from './select.js';
import { applySecretFlags } from './secret-flags.js';
import { show } from './show.js';

async function run(
  input: Dict,
  callerCtx: Parameters<ActionSpec['run']>[1],
  automation: Parameters<ActionSpec['run']>[2],
  typedFlags?: readonly string[],
): Promise<Dict> {
  applySecretFlags(input, callerCtx);
  const lockRequest = lockRequestOf(input, callerCtx.env);
  const ctx = withoutRunLockEnv(callerCtx);
  // A frozen run is planned first: a different resolution stops it before anything runs.
  const locked =
    lockRequest?.frozen !== undefined && !bool(input, 'help', 'h')
      ? await checkFrozenBeforeRun(ctx, automation, lockRequest.given, lockRequest.frozen)
      : undefined;
  const shared = newShared(ctx, automation, input);
  const root: RunNode = { tags: '', status: 'ran', deps: [] };
  let r: Dict;
  try {
    r = await runTree(shared, input, ctx.cwd, root);
  } finally {
    // Once the run's scripts are known, failed or not (unless none was even selected: a flag of
    // the script the user meant would be reported wrongly).
    if (typedFlags && root.script !== undefined && !bool(input, 'help', 'h'))
      warnUnusedFlags(ctx, typedFlags, shared.inputKeys);
  }
  if (r['help'] === true) return r;
  if (lockRequest) await finishLockfiles(ctx, lockRequest, locked, root, shared.plan);
  if (shared.plan) ctx.emit({ type: 'output', text: renderPlan(root) });
  if (isTrue(input['repro']) && !shared.plan)
    writeReproOutput({
      dir: ctx.cwd,
      input,
      result: r,
      root,
      cmVersion: ctx.version,
      known: ctx.secrets,
    });
  if (isTrue(input['explain'])) ctx.emit({ type: 'output', text: renderExplain(root) });
  if (isTrue(input['shell']) && !shared.plan) {
    if (!ctx.isInteractive)
      ctx.emit({
        type: 'warning',
        text: '--shell needs a terminal; tmp-env.sh was written instead',
      });
    else {
      const { spawnSync } = (await importModule(
        'node:child_process',
      )) as typeof import('node:child_process');
      spawnSync('bash', ['--rcfile', join(ctx.cwd, 'tmp-env.sh'), '-i'], {
        cwd: ctx.cwd,
        stdio: 'inherit',
      });
    }
  }
  return { ...r, tree: root };
}

/** Points editors at the shipped schema: a first line that yaml-language-server reads. */
function addSchemaLine(dir: string, ctx: Parameters<ActionSpec['run']>[1]): void {
  for (const name of ['_cm.yaml', 'meta.yaml']) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    writeFileAtomic(file, `# yaml-language-server: $schema=${schemaPath(ctx)}\n${text}`);
  }
}

export const actions: ActionTable = {
  run: {
    summary: 'run a script selected by tags or name, with its deps, variations, versions and cache',
    usage: 'cm run script "TAGS [_VARIATION ...]" [--flags]   (or: cmr "TAGS ...")',
    flags: RUN_FLAGS,
    reportsUnknownFlags: true,
    handlesHelp: true,
    run,
  },
  prepare: {
    summary: 'run the deps of a script but not the script itself (run --fake_run)',
    usage: 'cm prepare script "TAGS [_VARIATION ...]" [--flags]',
    flags: RUN_FLAGS,
    reportsUnknownFlags: true,
    run: (input, ctx, automation, typedFlags) =>
      run({ ...input, fake_run: true }, ctx, automation, typedFlags),
  },
  docker: {
    summary:
      'run a script in a container (Podman or Docker): write its Dockerfile, build the image, run it',
    usage:
      'cm docker script "TAGS [_VARIATION ...]" [--flags of cm run script] [--docker_KEY=VALUE ...] [--engine=podman|docker] [--dockerfile-only]',
    flags: [
      [
        '--engine=podman|docker',
        'the container engine (default: the one found; docker may be Podman)',
      ],
      [
        '--dockerfile-only',
        'write the Dockerfile and its build context, print the build and run commands, run nothing (also --print)',
      ],
      [
        '--docker_os=ubuntu|debian|rhel|arch, --docker_os_version=V',
        'the base distribution (default ubuntu 22.04)',
      ],
      ['--docker_base_image=IMAGE', 'the FROM image (pin it by digest: IMAGE@sha256:…)'],
      [
        '--frozen=LOCKFILE',
        'copy the lockfile into the image; the container runs exactly that tree',
      ],
      [
        '--docker_dt',
        'detached: the log is followed, the exit status and the log tail come back, the container is removed (unless --docker_keep)',
      ],
      [
        '--docker_it',
        'interactive (-it on a terminal); --docker_shell_on_fail opens a shell when the script fails',
      ],
      ['--docker_mounts,=HOST:CONTAINER', 'extra mounts; ${{ VAR }} takes a path from the env'],
      [
        '--docker_rebuild (or --docker_recreate), --docker_cache=no, --docker_skip_build',
        'image building',
      ],
      [
        '--docker_all_gpus, --docker_num_gpus=N, --docker_shm_size=S, --docker_port_maps,=H:C, --docker_extra_run_args=…',
        'run options',
      ],
      [
        '--docker_gh_token=T, --secret.NAME[=VALUE]',
        'secrets: a build-time secret mount, run-time env by name; never in a file or command line',
      ],
    ],
    // Any flag of the script is passed on to the run inside the container.
    reportsUnknownFlags: true,
    async run(input, ctx) {
      const { dockerScript } = await import('./container/docker-action.js');
      return dockerScript(input, ctx);
    },
  },
  search: {
    summary: 'find scripts by tags (variation tags _x keep scripts that define them); prints paths',
    usage: 'cm find script [NAME] [--tags=a,b,-c,_v]',
    flags: [['--tags=a,b,-c,_v', 'all of a and b, none of c, defining variation v']],
    run(input, ctx) {
      const names = artifactNames(input);
      const tags = tagList(input['tags']);
      for (const n of [...names]) {
        if (/\s/.test(n.trim())) {
          names.splice(names.indexOf(n), 1);
          tags.push(...n.trim().split(/\s+/));
        }
      }
      const split = splitScriptTags(tags);
      const q = {
        names,
        include: split.include,
        exclude: split.exclude,
        variations: split.variations,
      };
      let found;
      if (names.length === 0 && split.include.length === 0 && split.exclude.length === 0) {
        found = ctx.index.query({ automation: SCRIPT_FILTER }).map((entry) => ({ entry }));
      } else {
        try {
          found = findScripts(ctx, q);
        } catch (e) {
          if (
            e instanceof CmError &&
            (e.code === 'script-not-found' || e.code === 'variation-unknown')
          ) {
            ctx.emit({
              type: 'note',
              text: `nothing found: ${e.message}${e.hint ? `\n  ${e.hint.split('\n').join('\n  ')}` : ''}`,
            });
            return { list: [] };
          }
          throw e;
        }
      }
      if (found.length)
        ctx.emit({ type: 'output', text: found.map((c) => c.entry.path).join('\n') });
      return { list: found.map((c) => artifactView(c.entry)) };
    },
  },
  show,
  lint,
  add: {
    summary: 'create a script from the template (_cm.yaml, run.sh, customize.js)',
    usage: 'cm add script [repo:]NAME --tags=a,b [--no_hooks] [--script_name=NAME]',
    flags: [
      ['--tags=a,b', 'tags of the new script'],
      ['--no_hooks', 'leave out customize.js'],
      ['--script_name=NAME', 'native script name instead of run'],
      ['--meta.KEY=VALUE', 'extra meta keys'],
      ['--repo=NAME, --uid=UID', 'the repo to add it to / its uid'],
      ['--new_tags=a,b', 'more tags'],
    ],
    run(input, ctx, automation) {
      const name = str(input, 'artifact');
      if (name === undefined || name === '')
        throw new CmError('bad-name', 'name the new script: cm add script NAME --tags=a,b');
      if (/\s/.test(name))
        throw new CmError('bad-name', `invalid script name "${name}": it contains a space`, {
          hint: 'use dashes: cm add script get-my-tool --tags=get,my-tool',
        });
      // Tags given as "get tool" are two tags (a tag with a space could never be selected).
      if (typeof input['tags'] === 'string')
        input['tags'] = input['tags']
          .trim()
          .split(/[\s,]+/)
          .join(',');
      if (tagList(input['tags']).length === 0)
        throw new CmError('bad-input', 'give the new script some tags: --tags=a,b', {
          hint: 'scripts are found by tags: cm run script "a b"',
        });
      const meta: Dict = {
        cache: false,
        ...(typeof input['meta'] === 'object' ? (input['meta'] as Dict) : {}),
      };
      const scriptName = str(input, 'script_name');
      if (scriptName) meta['script_name'] = scriptName.replace(/\.sh$/, '');
      const { path, meta: written } = addArtifact(ctx, automation, name, {
        ...input,
        meta: { ...meta, new_env_keys: [] },
        yaml: true,
      });
      addSchemaLine(path, ctx);
      const template = join(ctx.internalRepoPath, 'automation', 'script', 'template');
      if (existsSync(template)) {
        for (const f of readdirSync(template)) {
          if (f.startsWith('_cm.')) continue;
          if (f === 'customize.js' && isTrue(input['no_hooks'])) continue;
          const target = f === 'run.sh' && scriptName ? `${scriptName.replace(/\.sh$/, '')}.sh` : f;
          cpSync(join(template, f), join(path, target));
        }
      }
      ctx.emit({ type: 'info', text: `Added script at ${path}` });
      return { path, meta: written, alias: written['alias'] ?? '', uid: written['uid'] };
    },
  },
  help: {
    summary: 'explain a script (variations by group, inputs, deps), or list the actions',
    usage: 'cm help script [NAME|"TAGS"]',
    flags: [['--tags=a,b', 'select the scripts by tags']],
    run(input, ctx, automation) {
      const names = artifactNames(input);
      const tags = tagList(input['tags']);
      if (names.length === 0 && tags.length === 0) return genericHelp.run(input, ctx, automation);
      for (const n of [...names])
        if (/\s/.test(n.trim())) {
          names.splice(names.indexOf(n), 1);
          tags.push(...n.trim().split(/\s+/));
        }
      const split = splitScriptTags(tags);
      const found = findScripts(ctx, {
        names,
        include: split.include,
        exclude: split.exclude,
        variations: [],
      });
      ctx.emit({ type: 'output', text: found.map(scriptHelpText).join('\n\n') });
      return { list: found.map((c) => artifactView(c.entry)) };
    },
  },
};
