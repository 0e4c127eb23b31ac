// The `automation` automation (uid bbeb15d8f0a944a4): `cm add automation NAME` scaffolds a new
// automation whose actions are the functions exported by its module.js.
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { tagList } from '../../core/tags.js';
import type { ActionSpec, ActionTable } from '../action.js';
import { addArtifact } from '../generic/add.js';
import { str } from '../input.js';
import { actions as coreActions } from '../core/actions.js';

const add: ActionSpec = {
  summary:
    'create a new automation: meta plus a module.js whose exported functions are its actions',
  usage: 'cm add automation [repo:]NAME [--tags=...]',
  flags: [
    ['--tags=a,b', 'tags besides "automation"'],
    ['--meta.KEY=VALUE', 'extra meta keys'],
    ['--yaml', 'write _cm.yaml instead of _cm.json'],
    ['--repo=NAME, --uid=UID', 'the repo to add it to / its uid'],
  ],
  run(input, ctx, automation) {
    const name = str(input, 'artifact');
    if (!name) throw new CmError('bad-name', 'name the new automation: cm add automation NAME');
    const tags = ['automation', ...tagList(input['tags'])];
    const { path, meta } = addArtifact(ctx, automation, name, { ...input, tags });
    const template = join(ctx.internalRepoPath, 'automation', 'automation', 'module-template.js');
    const module = join(path, 'module.js');
    copyFileSync(template, module);
    ctx.emit({ type: 'info', text: `Added CM object at ${path}` });
    ctx.emit({
      type: 'info',
      text: `Created automation module ${module}: each exported function is an action`,
    });
    return {
      path,
      meta,
      module,
      alias: meta['alias'],
      uid: meta['uid'],
      repo_path: dirname(dirname(path)),
    };
  },
};

// `cm print_input automation ...` as in the reference (where print_input belongs to this automation).
export const actions: ActionTable = { add, print_input: coreActions['print_input']! };
