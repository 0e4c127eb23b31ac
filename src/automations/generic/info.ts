// `cm info <automation> NAME`: CM ids of an artifact and its files.
import { readdirSync } from 'node:fs';
import type { ActionSpec } from '../action.js';
import { artifactView, selectOne } from './select.js';

export const info: ActionSpec = {
  summary: 'print the CM ids (CID) of an artifact, its path and files',
  usage: 'cm info AUTOMATION [repo:]NAME',
  flags: [['--tags=a,b', 'select the artifact by tags']],
  run(input, ctx, automation) {
    const e = selectOne(ctx, automation, input);
    const cid = `${e.automationAlias},${e.automationUid}::${e.alias},${e.uid}`;
    const cid1 = `${e.automationUid}::${e.uid}`;
    const items = readdirSync(e.path, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    const dirs = items.filter((d) => d.isDirectory()).map((d) => d.name);
    const files = items.filter((d) => !d.isDirectory()).map((d) => d.name);
    const lines = [`CID = ${cid}`, `CID1 = ${cid1}`, `CID2 = (${cid})`, '', `Path = ${e.path}`];
    if (dirs.length) lines.push('', '  Directories:', ...dirs.map((d) => `    ${d}`));
    if (files.length) lines.push('', '  Files:', ...files.map((f) => `    ${f}`));
    ctx.emit({ type: 'output', text: lines.join('\n') });
    return {
      cid,
      cid1,
      cid2: `(${cid})`,
      directories: dirs,
      files,
      artifact: artifactView(e),
      path: e.path,
    };
  },
};
