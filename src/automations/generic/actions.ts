// Generic database actions that every automation offers (the reference's common actions).
import type { ActionTable } from '../action.js';
import { add, update } from './add.js';
import { copy, move } from './copy-move.js';
import { del } from './delete.js';
import { help } from './help.js';
import { info } from './info.js';
import { load } from './load.js';
import { search } from './search.js';

export const genericActions: ActionTable = {
  add,
  search,
  load,
  update,
  delete: del,
  copy,
  move,
  info,
  help,
};
