import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagKeys } from '../core/flags.js';
import type { ActionTable } from './action.js';
import { actions as automationActions } from './automation/actions.js';
import { actions as cacheActions } from './cache/actions.js';
import { actions as coreActions } from './core/actions.js';
import { genericActions } from './generic/actions.js';
import { actions as repoActions } from './repo/actions.js';
import { actions as scriptActions } from './script/actions.js';
import { actions as utilsActions } from './utils/actions.js';

const TABLES: Record<string, ActionTable> = {
  generic: genericActions,
  automation: automationActions,
  cache: cacheActions,
  core: coreActions,
  repo: repoActions,
  script: scriptActions,
  utils: utilsActions,
};

/** Actions that take any flag on purpose: print_input shows whatever it is given. */
const TAKES_ANY = new Set(['core.print_input', 'automation.print_input']);

test('every built-in action declares the flags it takes (or takes any on purpose)', () => {
  const undeclared = Object.entries(TABLES).flatMap(([table, actions]) =>
    Object.entries(actions)
      .filter(([, spec]) => spec.flags === undefined)
      .map(([name]) => `${table}.${name}`),
  );
  assert.deepEqual(undeclared.sort(), [...TAKES_ANY].sort());
});

test('every declared flag names an input key, unless it is a positional word', () => {
  for (const [table, actions] of Object.entries(TABLES))
    for (const [name, spec] of Object.entries(actions))
      for (const [shown] of spec.flags ?? []) {
        if (shown.startsWith('"') || shown.startsWith('@')) continue;
        assert.ok(flagKeys(shown).length > 0, `${table}.${name}: ${shown}`);
      }
});
