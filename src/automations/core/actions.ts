// The `core` automation (uid 60cb625a46b38610): version, new uids, and input inspection.
import type { ActionTable } from '../action.js';
import { genUid } from '../../db/uid.js';
import { formatJson } from '../../db/meta-file.js';

export const actions: ActionTable = {
  version: {
    summary: 'print the CM version',
    usage: 'cm version',
    flags: [],
    run(_input, ctx) {
      ctx.emit({ type: 'output', text: ctx.version });
      return { version: ctx.version };
    },
  },
  uid: {
    summary: 'print a new 16-hex-digit CM uid',
    usage: 'cm uid core',
    flags: [],
    run(_input, ctx) {
      const uid = genUid();
      ctx.emit({ type: 'output', text: uid });
      return { uid };
    },
  },
  print_input: {
    summary: 'print the input dict the command line turns into (to debug flags)',
    usage: 'cm print_input core|automation [ARTIFACTS] [--flags]',
    run(input, ctx) {
      ctx.emit({ type: 'output', text: formatJson(input).trimEnd() });
      return { input };
    },
  },
};
