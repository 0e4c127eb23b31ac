// `cm show experiment` (read-only): the matching experiments, their runs (newest first, with
// result counts and failures), then one table of their results — derived metrics (--derive),
// filters (--where, --constraint), statistics over repetitions (--stats --group-by), the Pareto
// front (--pareto, or CK's margins with --ck-margins) — as text, CSV, Markdown or JSON.
import { CmError } from '../../core/errors.js';
import { applyDerivations, compileFilter, parseDerivations } from '../../core/expr/index.js';
import { groupStats } from '../../core/experiment/stats.js';
import { ckFrontier } from '../../core/experiment/ck-frontier.js';
import { parseCkMargins, parseObjectives } from '../../core/experiment/objectives.js';
import { paretoFront } from '../../core/experiment/pareto.js';
import { buildTable, formatTable } from '../../core/experiment/table.js';
import type { Dict } from '../../core/merge.js';
import { tagList } from '../../core/tags.js';
import type { AutomationHandle } from '../action.js';
import type { CmContext } from '../context.js';
import { bool, str } from '../input.js';
import { findExperiments } from './experiment-artifact.js';
import { readRecordedRuns } from './recorded-runs.js';

type Row = Record<string, unknown>;

/** Provenance columns every row has (spec §5.3); hidden from the text table unless --all. */
export const PROVENANCE_KEYS = [
  'experiment_uid',
  'experiment_alias',
  'experiment_tags',
  'experiment_dir',
  'uid',
];
const QUIET_COLUMNS = [
  'experiment_uid',
  'experiment_tags',
  'experiment_dir',
  'iso_datetime',
  'command',
];

/** A flag given once or several times (the CLI keeps the last; the raw argv has them all). */
export function repeatedFlag(input: Dict, key: string): string[] {
  const raw = input['cmd'];
  const prefix = `--${key.replace(/_/g, '-')}=`;
  const prefix2 = `--${key}=`;
  if (Array.isArray(raw)) {
    const all = raw.map(String).filter((a) => a.startsWith(prefix) || a.startsWith(prefix2));
    if (all.length > 1) return all.map((a) => a.slice(a.indexOf('=') + 1));
  }
  const v = input[key];
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string' && v !== '') return [v];
  return [];
}

function regexOf(input: Dict, key: string): RegExp | undefined {
  const s = str(input, key);
  if (s === undefined || s === '') return undefined;
  try {
    return new RegExp(s);
  } catch (e) {
    throw new CmError('bad-input', `--${key}: not a regular expression: ${(e as Error).message}`);
  }
}

/** The rows of every recorded result of the experiments `input` selects, and the experiment list. */
export function collectRows(
  ctx: CmContext,
  automation: AutomationHandle,
  input: Dict,
): { rows: Row[]; experiments: Dict[] } {
  const artifact = str(input, 'artifact');
  const found = findExperiments(ctx, automation, {
    tags: tagList(input['tags']),
    ...(artifact ? { artifact } : {}),
  });
  if (found.length === 0 && (artifact !== undefined || tagList(input['tags']).length > 0))
    throw new CmError(
      'artifact-not-found',
      `experiment not found: ${[artifact, input['tags'] ? `tags=${String(input['tags'])}` : ''].filter(Boolean).join(' ')}`,
      {
        hint: 'run "cm show experiment" to list every experiment',
      },
    );
  const dir = str(input, 'dir');
  const rows: Row[] = [];
  const experiments: Dict[] = [];
  for (const e of found) {
    const runs = readRecordedRuns(e.path).filter(
      (r) => dir === undefined || r.name === dir || r.dir === dir,
    );
    const lines = [`${e.alias || e.uid} (${e.tags.join(',')}) ${e.path}`];
    for (const run of runs) {
      const failed = run.results.filter(
        (r) => typeof r['exit_code'] === 'number' && r['exit_code'] !== 0,
      ).length;
      lines.push(
        `  ${run.name}  ${run.results.length} results${failed ? `, ${failed} failed` : ''}${run.layout !== 'cm' ? `  [${run.layout}]` : ''}`,
      );
      for (const p of run.problems) ctx.emit({ type: 'warning', text: p });
      for (const r of run.results)
        rows.push({
          experiment_uid: e.uid,
          experiment_alias: e.alias,
          experiment_tags: e.tags.join(','),
          experiment_dir: run.dir,
          ...r,
        });
    }
    ctx.emit({ type: 'info', text: lines.join('\n') });
    experiments.push({
      path: e.path,
      alias: e.alias,
      uid: e.uid,
      tags: e.tags,
      runs: runs.map((r) => ({
        name: r.name,
        dir: r.dir,
        layout: r.layout,
        results: r.results.length,
        problems: r.problems,
      })),
    });
  }
  return { rows, experiments };
}

/** --derive, --where, --constraint, --stats, --pareto / --ck-margins over the rows. */
export function analyseRows(ctx: CmContext, input: Dict, all: Row[]): { rows: Row[]; notes: Dict } {
  const notes: Dict = {};
  let rows = all;
  const derive = repeatedFlag(input, 'derive');
  if (derive.length > 0) {
    const r = applyDerivations(rows, parseDerivations(derive, '--derive'));
    rows = r.rows;
    if (r.errors > 0)
      ctx.emit({
        type: 'warning',
        text: `--derive: ${r.errors} rows could not be computed (null there)`,
      });
  }
  const where = str(input, 'where');
  if (where) rows = rows.filter(compileFilter(where, '--where'));
  for (const c of repeatedFlag(input, 'constraint')) {
    const keep = compileFilter(c, '--constraint');
    const before = rows.length;
    rows = rows.filter(keep);
    notes['violating_constraints'] =
      Number(notes['violating_constraints'] ?? 0) + before - rows.length;
  }
  if (bool(input, 'stats')) {
    const groupBy = tagList(input['group_by']);
    rows = groupStats(rows, {
      groupBy,
      exclude: [...PROVENANCE_KEYS, 'step', 'repeat', 'exit_code', 'iso_datetime'],
    });
  }
  const pareto = str(input, 'pareto');
  if (pareto) {
    const front = paretoFront(rows, parseObjectives(pareto));
    notes['excluded'] = front.excluded.length;
    notes['dominated'] =
      rows.length - front.excluded.length - front.onFrontier.filter(Boolean).length;
    rows = rows.flatMap((r, i) =>
      front.onFrontier[i] ? [{ ...r, ...(front.tie[i] ? { pareto_tie: true } : {}) }] : [],
    );
    if (front.excluded.length > 0)
      ctx.emit({
        type: 'note',
        text: `--pareto: ${front.excluded.length} rows excluded (an objective missing or not a number)`,
      });
  }
  const margins = str(input, 'ck_margins');
  if (margins) {
    const m = parseCkMargins(margins);
    const r = ckFrontier(rows, m.keys, m.maximise, m.margins);
    notes['ck_deleted'] = r.deleted.length;
    const kept = new Set(r.kept);
    rows = rows.filter((_, i) => kept.has(i));
  }
  return { rows, notes };
}

export function showExperiments(input: Dict, ctx: CmContext, automation: AutomationHandle): Dict {
  const { rows: all, experiments } = collectRows(ctx, automation, input);
  const { rows, notes } = analyseRows(ctx, input, all);
  const format = bool(input, 'csv') ? 'csv' : bool(input, 'md') ? 'md' : 'text';
  const sortOrder = str(input, 'sort_order');
  if (sortOrder !== undefined && sortOrder !== 'asc' && sortOrder !== 'desc')
    throw new CmError('bad-input', `--sort-order must be asc or desc (found "${sortOrder}")`);
  const sortBy = str(input, 'sort_by');
  const keep = regexOf(input, 'keep');
  const drop =
    regexOf(input, 'drop') ??
    (format === 'text' && !bool(input, 'all')
      ? new RegExp(`^(${QUIET_COLUMNS.join('|')})$`)
      : undefined);
  const table = buildTable(rows, {
    columns: ['experiment_alias', 'uid'],
    onlyChanged: bool(input, 'only_changed'),
    ...(keep ? { keep } : {}),
    ...(drop ? { drop } : {}),
    ...(sortBy ? { sortBy } : {}),
    ...(sortOrder ? { sortOrder } : {}),
  });
  if (rows.length > 0)
    ctx.emit({ type: 'output', text: formatTable(table, format).replace(/\n$/, '') });
  else ctx.emit({ type: 'note', text: 'no results to show' });
  return { return: 0, experiments, rows, ...notes };
}
