// Which experiment artifact a run records into (spec §2.4): a concrete name is looked up by name
// alone (its tags are used only when it has to be made); else by repo and tags. None: made (unless
// replaying); more than one: a choice on a terminal, an error otherwise.
import { hasWildcards, parseArtifactRef } from '../../core/artifact-ref.js';
import { CmError } from '../../core/errors.js';
import { genUid } from '../../db/uid.js';
import type { ArtifactEntry } from '../../db/artifact-entry.js';
import type { AutomationHandle } from '../action.js';
import type { CmContext } from '../context.js';
import { addArtifact } from '../generic/add.js';
import { select } from '../generic/select.js';

export interface ExperimentRef {
  artifact?: string;
  tags: string[];
}

function isConcreteName(name: string | undefined): name is string {
  if (name === undefined || name === '' || name.endsWith(':') || hasWildcards(name)) return false;
  return true;
}

/** The artifacts that `ref` names. */
export function findExperiments(
  ctx: CmContext,
  automation: AutomationHandle,
  ref: ExperimentRef,
): ArtifactEntry[] {
  const concrete = isConcreteName(ref.artifact);
  const input: Record<string, unknown> = {};
  if (ref.artifact !== undefined && ref.artifact !== '')
    input['artifact'] = ref.artifact.endsWith(':') ? `${ref.artifact}*` : ref.artifact;
  if (!concrete && ref.tags.length > 0) input['tags'] = ref.tags.join(',');
  return [...select(ctx, automation, input).found].sort((a, b) => (a.path < b.path ? -1 : 1));
}

async function chooseOne(
  ctx: CmContext,
  found: ArtifactEntry[],
  what: string,
): Promise<ArtifactEntry> {
  const list = found.map((e, i) => `${i}) ${e.path} (${e.tags.join(',')})`);
  if (!ctx.isInteractive)
    throw new CmError('artifact-ambiguous', `more than 1 experiment artifact found for ${what}`, {
      hint: `name one (cm run experiment NAME ...) or give more --tags:\n  ${list.join('\n  ')}`,
    });
  ctx.emit({ type: 'info', text: `More than 1 experiment artifact found:\n${list.join('\n')}` });
  const answer = (await ctx.ask('Make your selection or press Enter for 0: ')).trim();
  const k = answer === '' ? 0 : Number(answer);
  return found[Number.isInteger(k) && k >= 0 && k < found.length ? k : 0]!;
}

/** The experiment artifact to use; made when none matches and `mayCreate`. */
export async function resolveExperiment(
  ctx: CmContext,
  automation: AutomationHandle,
  ref: ExperimentRef,
  mayCreate: boolean,
): Promise<{ entry: ArtifactEntry; created: boolean }> {
  const what =
    [ref.artifact, ref.tags.length ? `tags=${ref.tags.join(',')}` : ''].filter(Boolean).join(' ') ||
    '(any)';
  const found = findExperiments(ctx, automation, ref);
  if (found.length === 1) return { entry: found[0]!, created: false };
  if (found.length > 1) return { entry: await chooseOne(ctx, found, what), created: false };
  if (!mayCreate)
    throw new CmError('artifact-not-found', `experiment not found: ${what}`, {
      hint: 'run "cm show experiment" to list the recorded experiments',
    });
  if (ref.artifact !== undefined && hasWildcards(ref.artifact))
    throw new CmError('artifact-not-found', `no experiment matches ${ref.artifact}`);
  let name = ref.artifact ?? '';
  if (name === '' || name.endsWith(':')) name = `${name}${genUid()}`;
  parseArtifactRef(name);
  const made = addArtifact(ctx, automation, name, { tags: ref.tags.join(',') });
  const entry = ctx.index
    .query({ automation: { alias: automation.alias, uid: automation.uid } })
    .find((e) => e.path === made.path);
  if (!entry) throw new Error(`the experiment made at ${made.path} is not in the index`);
  return { entry, created: true };
}
