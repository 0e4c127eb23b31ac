// Finding an automation by name (built-in ones live in the internal repo like any other) and the
// table of actions it offers: its own (built-in TypeScript, or a user's module.js), then generic ones.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatName, hasWildcards, parseArtifactRef } from '../core/artifact-ref.js';
import { didYouMean } from '../core/did-you-mean.js';
import { CmError } from '../core/errors.js';
import { isDict } from '../core/merge.js';
import { loadArtifact } from '../db/artifact.js';
import { matchesRef, preferExactCase } from '../db/search.js';
import type { ActionSpec, ActionTable, AutomationHandle } from './action.js';
import type { CmContext } from './context.js';
import { moduleActions } from './user-module.js';

export const AUTOMATION_UID = 'bbeb15d8f0a944a4';
export const AUTOMATION_FILTER = { alias: 'automation', uid: AUTOMATION_UID };

/** Built-in automations implemented here, by the uid of their meta in the internal repo. */
const BUILTIN: Readonly<Record<string, () => Promise<{ actions: ActionTable }>>> = {
  bbeb15d8f0a944a4: () => import('./automation/actions.js'),
  '55c3e27e8a140e48': () => import('./repo/actions.js'),
  '60cb625a46b38610': () => import('./core/actions.js'),
  '5b4e0237da074764': () => import('./script/actions.js'),
  '541d6f712a6b464e': () => import('./cache/actions.js'),
  dc2743f8450541e3: () => import('./utils/actions.js'),
  a0a2d123ef064bcb: () => import('./experiment/actions.js'),
};

export function isBuiltin(uid: string): boolean {
  return uid in BUILTIN;
}

/** Resolve `[repo:]name` (or a wildcard) to one automation. */
export function resolveAutomation(ctx: CmContext, name: string | undefined): AutomationHandle {
  if (name === undefined || name === '') {
    throw new CmError('automation-not-specified', 'automation was not specified', {
      hint: 'usage: cm ACTION AUTOMATION [ARTIFACT] [--flags]; run "cm help" for the list of automations',
    });
  }
  if (hasWildcards(name) && !name.includes(':')) {
    return { alias: name, uid: '', meta: {}, pattern: name };
  }
  const ref = parseArtifactRef(name);
  const automations = ctx.index.query({ automation: AUTOMATION_FILTER });
  const found = preferExactCase(
    automations.filter((e) => matchesRef(e, ref)),
    [ref],
  );
  if (found.length === 0) {
    if (ref.repo) {
      throw new CmError(
        'automation-not-in-repo',
        `automation "${name}" was not found in repo "${formatName(ref.repo)}"`,
        {
          hint: 'drop the repo qualifier to search every repo',
        },
      );
    }
    const dym = didYouMean(
      formatName(ref.artifact),
      automations.map((e) => e.alias),
    );
    throw new CmError('automation-not-found', `automation "${name}" not found`, {
      hint:
        dym ??
        'run "cm find automation" to list automations, or "cm add automation NAME" to create one',
    });
  }
  // The same automation (same uid) may sit in several repos: prefer our built-in implementation,
  // then the first in search order.
  const byUid = new Map<string, (typeof found)[number]>();
  for (const e of found) {
    const key = e.uid || e.path;
    const prev = byUid.get(key);
    if (!prev || (isBuiltin(e.uid) && prev.repo.kind !== 'internal' && e.repo.kind === 'internal'))
      byUid.set(key, e);
  }
  if (byUid.size > 1) {
    const list = [...byUid.values()].map((e) => `${e.alias},${e.uid} in ${e.path}`);
    throw new CmError(
      'automation-ambiguous',
      `ambiguity because several automations were found for "${name}"`,
      {
        hint: `name one by uid or repo:\n  ${list.join('\n  ')}`,
        details: { candidates: list },
      },
    );
  }
  const entry = [...byUid.values()][0]!;
  const loaded = loadArtifact(entry, () => ctx.index.entries(), {
    cacheDir: ctx.paths.metaCacheDir,
  });
  return { alias: entry.alias, uid: entry.uid, entry, meta: loaded.meta };
}

/** Action names as the user typed them → canonical names (`ls`→`search`, `rm`→`delete` ...). */
export function canonicalAction(action: string, automation: AutomationHandle): string {
  let a = action.replace(/-/g, '_');
  const global: Record<string, string> = {
    ls: 'search',
    list: 'search',
    find: 'search',
    rm: 'delete',
    remove: 'delete',
    mv: 'move',
    ren: 'move',
    rename: 'move',
    cp: 'copy',
  };
  a = global[a] ?? a;
  const subs = automation.meta['action_substitutions'];
  if (isDict(subs) && typeof subs[a] === 'string') a = subs[a] as string;
  return a;
}

/** Own actions of an automation (built-in table or exports of a user's module.js). */
export async function ownActions(automation: AutomationHandle): Promise<ActionTable> {
  const loader = BUILTIN[automation.uid];
  if (loader && automation.entry?.repo.kind === 'internal') return (await loader()).actions;
  if (!automation.entry) return {};
  for (const file of ['module.js', 'module.mjs']) {
    const path = join(automation.entry.path, file);
    if (existsSync(path)) return moduleActions(pathToFileURL(path).href, path);
  }
  return {};
}

export async function actionTable(automation: AutomationHandle): Promise<ActionTable> {
  const { genericActions } = await import('./generic/actions.js');
  return { ...genericActions, ...(await ownActions(automation)) };
}

export async function findAction(
  automation: AutomationHandle,
  action: string,
): Promise<[string, ActionSpec]> {
  const name = canonicalAction(action, automation);
  const table = await actionTable(automation);
  automation.actions = table; // what `cm help AUTOMATION` lists, without importing the registry
  const spec = Object.hasOwn(table, name) ? table[name] : undefined;
  if (spec) return [name, spec];
  const pythonOnly = automation.entry && existsSync(join(automation.entry.path, 'module.py'));
  const dym = didYouMean(name, Object.keys(table));
  throw new CmError(
    'action-not-found',
    `action "${name}" not found in automation "${automation.alias},${automation.uid}"`,
    {
      hint:
        (dym ? `${dym} ` : '') +
        (pythonOnly
          ? `(this automation's actions are in Python (module.py), which this CM does not run yet)`
          : `run "cm help ${automation.alias}" for its actions`),
    },
  );
}
