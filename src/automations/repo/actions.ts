// The `repo` automation (uid 55c3e27e8a140e48): managing repositories of artifacts.
import type { ActionTable } from '../action.js';
import { del, detect, init, reindex, search, show, where, ximport } from './manage.js';
import { pack, unpack } from './pack.js';
import { pull } from './pull.js';

export const actions: ActionTable = {
  pull,
  init,
  ximport: { ...ximport, summary: ximport.summary + ' (also: cm import repo)' },
  search,
  where,
  show,
  delete: del,
  pack,
  unpack,
  reindex,
  detect,
};
