// The `script` automation (uid 5b4e0237da074764): run, prepare, find with variations, add from a
// template, per-script help.
import { cpSync, existsSync, readdirSync } from 'node:fs';
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
import { artifactNames, str } from '../input.js';
import { scriptHelpText } from './help.js';
import { importModule } from '../import-module.js';
import { renderPlan } from './plan.js';
import { newShared, runScript, type RunNode } from './run.js';
import { findScripts, SCRIPT_FILTER } from './select.js';
import { show } from './show.js';

const RUN_FLAGS: ReadonlyArray<readonly [string, string]> = [
  ['"TAGS _VARIATION"', 'select by tags: -tag excludes, _v selects a variation, -_v excludes one'],
  ['--tags=a,b,_v', 'the same as a flag'],
  ['--dry-run', 'print the resolved dependency tree (cached / will run / skipped), run nothing'],
  ['--version=V', 'this version (also --version_min, --version_max, --version_max_usable)'],
  ['--env.KEY=V', 'env of the run (--const.KEY=V wins over the script meta too)'],
  ['--adr.NAME.KEY=V', 'update deps named NAME, recursively (--ad.NAME.KEY=V: direct deps only)'],
  ['--new, --renew', 'make another cache entry / re-run in the existing one'],
  ['--skip_cache', 'run without the cache (--force_cache: cache where the script allows)'],
  ['--only_execute_from_cache', 'fail instead of running when there is no cache entry'],
  ['--cache_expiration=2h', 'the new cache entry expires after 45s, 10m, 2h, 3d ...'],
  ['--fake_run, --fake_deps', 'run the deps but not the script / record the deps, run none'],
  ['--print_deps, --print_env', 'list the direct deps / print the env before the native run'],
  ['--save_env, --shell', 'write a sourceable tmp-env.sh / and open a shell with it'],
  ['--dirty', 'keep the tmp-* files of a non-cached run'],
  ['--ignore_script_error', 'go on after the native script fails'],
  ['--debug_script_tags=t', 'keep tmp-run-without-cm.sh for scripts with these tags'],
  ['--outdirname=DIR', 'working folder of the script'],
  ['-s, -v, --quiet', 'silent / verbose (debug lines) / never ask (take the first choice)'],
];

async function run(
  input: Dict,
  ctx: Parameters<ActionSpec['run']>[1],
  automation: Parameters<ActionSpec['run']>[2],
): Promise<Dict> {
  const shared = newShared(ctx, automation, input);
  const root: RunNode = { tags: '', status: 'ran', deps: [] };
  const r = await runScript(input, shared, ctx.cwd, root);
  if (r['help'] === true) return r;
  if (shared.plan) ctx.emit({ type: 'output', text: renderPlan(root) });
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

export const actions: ActionTable = {
  run: {
    summary: 'run a script selected by tags or name, with its deps, variations, versions and cache',
    usage: 'cm run script "TAGS [_VARIATION ...]" [--flags]   (or: cmr "TAGS ...")',
    flags: RUN_FLAGS,
    handlesHelp: true,
    run,
  },
  prepare: {
    summary: 'run the deps of a script but not the script itself (run --fake_run)',
    usage: 'cm prepare script "TAGS [_VARIATION ...]" [--flags]',
    run: (input, ctx, automation) => run({ ...input, fake_run: true }, ctx, automation),
  },
  search: {
    summary: 'find scripts by tags (variation tags _x keep scripts that define them); prints paths',
    usage: 'cm find script [NAME] [--tags=a,b,-c,_v]',
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
  add: {
    summary: 'create a script from the template (_cm.yaml, run.sh, customize.js)',
    usage: 'cm add script [repo:]NAME --tags=a,b [--template=NAME] [--no_hooks]',
    flags: [
      ['--tags=a,b', 'tags of the new script'],
      ['--no_hooks', 'leave out customize.js'],
      ['--script_name=NAME', 'native script name instead of run'],
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
