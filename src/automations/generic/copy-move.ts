// `cm cp <automation> SRC [repo:]DST[,UID]` (new uid) and `cm mv <automation> SRC [repo:][DST]`
// (uid kept): the target is complete before it appears, and an existing target is never touched.
import { join } from 'node:path';
import { formatName, parseArtifactRef, validateNewName } from '../../core/artifact-ref.js';
import { CmError } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';
import { tagList } from '../../core/tags.js';
import { genUid } from '../../db/uid.js';
import { isUid } from '../../core/uid.js';
import { copyArtifactDir, moveArtifactDir } from '../../db/artifact-write.js';
import { metaFilesOf } from '../../db/repo.js';
import type { ActionSpec, AutomationHandle } from '../action.js';
import type { CmContext } from '../context.js';
import { findRepo } from './add.js';
import { selectOne } from './select.js';

function parseTarget(ctx: CmContext, input: Dict, action: string, automation: AutomationHandle) {
  const more = input['artifacts'];
  const dst = Array.isArray(more) && typeof more[0] === 'string' ? more[0] : undefined;
  if (dst === undefined) {
    throw new CmError(
      'bad-input',
      `${action} needs a source and a target: cm ${action} ${automation.alias} SRC [repo:]DST`,
    );
  }
  const ref = parseArtifactRef(dst);
  if (ref.artifact.alias !== undefined) validateNewName('artifact', ref.artifact.alias);
  if (ref.artifact.uid !== undefined && !isUid(ref.artifact.uid)) {
    throw new CmError('bad-name', `invalid uid "${ref.artifact.uid}": a uid is 16 hex characters`);
  }
  const source = selectOne(ctx, automation, { ...input, artifacts: undefined });
  const repo = ref.repo ? findRepo(ctx, formatName(ref.repo)) : source.repo;
  return { source, repo, alias: ref.artifact.alias, uid: ref.artifact.uid };
}

export const copy: ActionSpec = {
  summary: 'copy an artifact under a new name (gets a new uid)',
  usage: 'cm cp AUTOMATION SRC [repo:]DST[,UID] [--new_tags=a,b]',
  flags: [
    ['--new_tags=a,b', 'tags added to the copy'],
    ['--tags=a,b', 'select the source by tags'],
  ],
  run(input, ctx, automation) {
    const t = parseTarget(ctx, input, 'cp', automation);
    const alias = t.alias ?? t.source.alias;
    const uid = t.uid ?? genUid();
    const target = join(t.repo.artifactsRoot, t.source.automationDir, alias);
    ctx.emit({ type: 'info', text: `Copying ${t.source.path} to ${target}` });
    copyArtifactDir(
      t.source.path,
      target,
      { alias, uid },
      tagList(input['new_tags']),
      metaFilesOf(t.repo),
    );
    ctx.index.markStale();
    return { path: target, alias, uid };
  },
};

export const move: ActionSpec = {
  summary: 'rename an artifact or move it to another repo (keeps its uid)',
  usage: 'cm mv AUTOMATION SRC [repo:][DST]',
  flags: [['--tags=a,b', 'select the source by tags']],
  run(input, ctx, automation) {
    const t = parseTarget(ctx, input, 'mv', automation);
    const alias = t.alias ?? t.source.alias;
    const uid = t.uid ?? t.source.uid;
    const target = join(t.repo.artifactsRoot, t.source.automationDir, alias);
    moveArtifactDir(t.source.path, target, { alias, uid }, metaFilesOf(t.repo));
    ctx.index.markStale();
    ctx.emit({ type: 'info', text: `Moved ${t.source.path} to ${target}` });
    return { path: target, alias, uid };
  },
};
