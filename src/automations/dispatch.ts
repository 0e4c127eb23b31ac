// From a CM input dict to the result of one action: resolve the automation, find the action, run it.
import { CmError } from '../core/errors.js';
import { rowKeys, unknownFlagError, unknownFlags } from '../core/flags.js';
import type { Dict } from '../core/merge.js';
import type { CmContext } from './context.js';
import { actionHelpText } from './generic/describe.js';
import { bool, str } from './input.js';
import { findAction, resolveAutomation } from './registry.js';

/** Actions that need no automation name (the reference routes them to `core`). */
const CORE_ACTIONS = new Set(['version', 'uid', 'print_input', 'print-input']);

/**
 * `typedFlags`: the keys the user typed as flags on a command line; an action that declares its
 * flags refuses any other before it starts. Undefined (a library call with a dict, a call from an
 * action or a hook): nothing is checked, as those pass keys of their own on purpose.
 */
export async function dispatch(
  ctx: CmContext,
  input: Dict,
  typedFlags?: readonly string[],
): Promise<Dict> {
  const action = str(input, 'action');
  if (action === undefined || action === '') {
    throw new CmError('bad-input', 'action was not specified', {
      hint: 'usage: cm ACTION AUTOMATION [ARTIFACT] [--flags]; see "cm help"',
    });
  }
  let automationName = str(input, 'automation');
  if ((automationName === undefined || automationName === '') && CORE_ACTIONS.has(action))
    automationName = 'core';
  const automation = resolveAutomation(ctx, automationName);
  const [name, spec] = await findAction(automation, action);
  const named = input['artifact'] !== undefined || input['tags'] !== undefined;
  if (bool(input, 'help', 'h') && !(spec.handlesHelp && named)) {
    ctx.emit({ type: 'output', text: actionHelpText(name, spec, automation) });
    return { action: name, automation: automation.alias, help: true };
  }
  if (typedFlags && spec.flags && !spec.reportsUnknownFlags) {
    const unknown = unknownFlags(typedFlags, rowKeys(spec.flags));
    if (unknown.length > 0)
      throw unknownFlagError(
        unknown,
        `cm ${action} ${str(input, 'automation') ?? automation.alias}`,
      );
  }
  return await spec.run(input, ctx, automation, typedFlags);
}
