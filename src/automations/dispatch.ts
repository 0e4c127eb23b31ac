// From a CM input dict to the result of one action: resolve the automation, find the action, run it.
import { CmError } from '../core/errors.js';
import type { Dict } from '../core/merge.js';
import type { CmContext } from './context.js';
import { actionHelpText } from './generic/describe.js';
import { bool, str } from './input.js';
import { findAction, resolveAutomation } from './registry.js';

/** Actions that need no automation name (the reference routes them to `core`). */
const CORE_ACTIONS = new Set(['version', 'uid', 'print_input', 'print-input']);

export async function dispatch(ctx: CmContext, input: Dict): Promise<Dict> {
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
  return await spec.run(input, ctx, automation);
}
