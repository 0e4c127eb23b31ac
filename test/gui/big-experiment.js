// A generated experiment of 50,000 MLPerf-like rows, for the explore page's large test and
// bench/gui-explore.js.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const N = 50_000;
const RUN = '2025-06-01.09-00-00.000000';

/** A generated experiment `big-demo` of N MLPerf-like rows in five versions. */
export function writeBig(repo) {
  const dir = join(repo, 'experiment', 'big-demo');
  mkdirSync(join(dir, RUN), { recursive: true });
  writeFileSync(
    join(dir, '_cm.json'),
    JSON.stringify({
      alias: 'big-demo',
      uid: 'b16b16b16b16b161',
      automation_alias: 'experiment',
      automation_uid: 'a0a2d123ef064bcb',
      tags: ['big', 'demo'],
    }),
  );
  const rows = [];
  for (let i = 0; i < N; i++)
    rows.push({
      uid: `9${String(i).padStart(15, '0')}`,
      Result: 100 + ((i * 7919) % 10_000),
      Result_Power: 20 + ((i * 104_729) % 400),
      Accuracy: 70 + ((i * 31) % 1000) / 100,
      version: `v${i % 5}`,
    });
  writeFileSync(join(dir, RUN, 'cm-result.json'), JSON.stringify(rows));
}
