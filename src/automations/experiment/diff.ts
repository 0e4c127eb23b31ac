// `cm diff experiment [NAME] --uid=U1 --uid=U2`: two recorded results side by side, only the keys
// whose values differ (--all: every key), with the relative change of numbers.
import { CmError } from '../../core/errors.js';
import { compareResults } from '../../core/experiment/compare.js';
import type { Dict } from '../../core/merge.js';
import type { AutomationHandle } from '../action.js';
import type { CmContext } from '../context.js';
import { bool } from '../input.js';
import { collectRows, repeatedFlag } from './show.js';

export function diffExperiment(input: Dict, ctx: CmContext, automation: AutomationHandle): Dict {
  const uids = repeatedFlag(input, 'uid')
    .flatMap((u) => u.split(','))
    .map((u) => u.trim())
    .filter(Boolean);
  if (uids.length !== 2)
    throw new CmError(
      'bad-input',
      `cm diff experiment compares two results: give --uid twice (found ${uids.length})`,
      {
        hint: 'cm diff experiment NAME --uid=UID1 --uid=UID2 (cm show experiment NAME --json lists the uids)',
      },
    );
  const { rows } = collectRows(ctx, automation, input);
  const pick = (uid: string): Record<string, unknown> => {
    const row = rows.find((r) => r['uid'] === uid);
    if (!row)
      throw new CmError('artifact-not-found', `no result with uid ${uid}`, {
        hint: 'cm show experiment --json lists the uids of the results',
      });
    return row;
  };
  const a = pick(uids[0]!);
  const b = pick(uids[1]!);
  const diffs = compareResults(a, b, {
    all: bool(input, 'all'),
    ignore: bool(input, 'all') ? [] : ['uid', 'iso_datetime', 'experiment_dir'],
  });
  const show = (v: unknown): string =>
    v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v);
  const lines = diffs.map(
    (d) =>
      `${d.key}: ${show(d.old)} -> ${show(d.new)}${d.change !== null && d.change !== undefined ? `  (${d.change >= 0 ? '+' : ''}${(d.change * 100).toFixed(1)}%)` : ''}`,
  );
  ctx.emit({
    type: 'output',
    text: lines.length > 0 ? lines.join('\n') : 'the two results have the same values',
  });
  return { return: 0, differences: diffs };
}
