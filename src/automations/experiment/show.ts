// `cm show experiment` (read-only): the matching experiments, their runs (newest first, with
// result counts and failures), then one table of their results — derived metrics (--derive),
// filters (--where, --constraint), statistics over repetitions (--stats --group-by), the Pareto
// front (--pareto, or CK's margins with --ck-margins) — as text, CSV, Markdown or JSON.
import { CmError } from '../../core/errors.js';
import { applyDerivations, compileFilter, parseDerivations } from '../../core/expr/index.js';
import { GroupStatsAccumulator } from '../../core/experiment/stats.js';
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
  'lockfile',
  'lockfiles',
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

/** Every recorded result of the experiments `input` selects, in all of them. */
export function collectRows(
  ctx: CmContext,
  automation: AutomationHandle,
  input: Dict,
): { rows: Row[]; experiments: Dict[] } {
  const rows: Row[] = [];
  const experiments = readExperiments(ctx, automation, input, (batch) => {
    for (const r of batch) rows.push(r);
  });
  return { rows, experiments };
}

/**
 * The experiments `input` selects (listed as info lines, returned as data); the results of each
 * of their runs go to `onRows` a run at a time, with their provenance columns.
 */
export function readExperiments(
  ctx: CmContext,
  automation: AutomationHandle,
  input: Dict,
  onRows: (rows: Row[]) => void,
): Dict[] {
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
  const experiments: Dict[] = [];
  for (const e of found) {
    const counts = new Map<string, number>();
    const lines = [
      `${e.alias || e.uid}${e.tags.length > 0 ? ` (${e.tags.join(',')})` : ''} ${e.path}`,
    ];
    const tags = e.tags.join(',');
    const wanted = (r: { name: string; dir: string }): boolean =>
      dir === undefined || r.name === dir || r.dir === dir;
    const runs = readRecordedRuns(e.path, (run) => {
      if (!wanted(run)) {
        run.results = [];
        return;
      }
      const failed = run.results.filter(
        (r) => typeof r['exit_code'] === 'number' && r['exit_code'] !== 0,
      ).length;
      lines.push(
        `  ${run.name}  ${run.results.length} results${failed ? `, ${failed} failed` : ''}${run.layout !== 'cm' ? `  [${run.layout}]` : ''}`,
      );
      for (const p of run.problems) ctx.emit({ type: 'warning', text: p });
      // The rows are fresh objects of this read: the provenance columns are set in place (a copy
      // of 100,000 results costs more than reading them).
      for (const r of run.results) {
        r['experiment_uid'] = e.uid;
        r['experiment_alias'] = e.alias;
        r['experiment_tags'] = tags;
        r['experiment_dir'] = run.dir;
      }
      counts.set(run.dir, run.results.length);
      onRows(run.results);
      run.results = [];
    }).filter(wanted);
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
        results: counts.get(r.dir) ?? 0,
        problems: r.problems,
      })),
    });
  }
  return experiments;
}

/** --derive, --where and --constraint as one step over a batch of rows (counts go to `notes`). */
export function rowFilter(input: Dict, notes: Dict): (rows: Row[]) => Row[] {
  const derive = repeatedFlag(input, 'derive');
  const derivations = derive.length > 0 ? parseDerivations(derive, '--derive') : undefined;
  const where = str(input, 'where');
  const keep = where ? compileFilter(where, '--where') : undefined;
  const constraints = repeatedFlag(input, 'constraint').map((c) =>
    compileFilter(c, '--constraint'),
  );
  return (batch) => {
    let rows = batch;
    if (derivations) {
      const r = applyDerivations(rows, derivations);
      rows = r.rows;
      notes['derive_errors'] = Number(notes['derive_errors'] ?? 0) + r.errors;
    }
    if (keep) rows = rows.filter(keep);
    for (const c of constraints) {
      const before = rows.length;
      rows = rows.filter(c);
      notes['violating_constraints'] =
        Number(notes['violating_constraints'] ?? 0) + before - rows.length;
    }
    return rows;
  };
}

/** --pareto (the exact front, ties kept) and --ck-margins (CK's frontier) over the final rows. */
export function frontOf(ctx: CmContext, input: Dict, all: Row[], notes: Dict): Row[] {
  let rows = all;
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
  return rows;
}

/** The rows to show: every result filtered, grouped into statistics when asked (a run at a time), then fronts. */
function analysedRows(
  ctx: CmContext,
  automation: AutomationHandle,
  input: Dict,
): { rows: Row[]; experiments: Dict[]; notes: Dict } {
  const notes: Dict = {};
  const filter = rowFilter(input, notes);
  const stats = bool(input, 'stats')
    ? new GroupStatsAccumulator({
        groupBy: tagList(input['group_by']),
        exclude: [...PROVENANCE_KEYS, 'step', 'repeat', 'exit_code', 'iso_datetime'],
      })
    : undefined;
  const kept: Row[] = [];
  const experiments = readExperiments(ctx, automation, input, (batch) => {
    const rows = filter(batch);
    if (stats) stats.add(rows);
    else for (const r of rows) kept.push(r);
  });
  if (Number(notes['derive_errors'] ?? 0) > 0)
    ctx.emit({
      type: 'warning',
      text: `--derive: ${String(notes['derive_errors'])} rows could not be computed (null there)`,
    });
  return { rows: frontOf(ctx, input, stats ? stats.result() : kept, notes), experiments, notes };
}

export function showExperiments(input: Dict, ctx: CmContext, automation: AutomationHandle): Dict {
  const { rows, experiments, notes } = analysedRows(ctx, automation, input);
  const format = bool(input, 'csv') ? 'csv' : bool(input, 'md') ? 'md' : 'text';
  const sortOrder = str(input, 'sort_order');
  if (sortOrder !== undefined && sortOrder !== 'asc' && sortOrder !== 'desc')
    throw new CmError('bad-input', `--sort-order must be asc or desc (found "${sortOrder}")`);
  const sortBy = str(input, 'sort_by');
  const keep = regexOf(input, 'keep');
  // The text table leaves the quiet columns out (unless --all), --drop or not.
  const given = str(input, 'drop');
  regexOf(input, 'drop');
  const quiet = format === 'text' && !bool(input, 'all') ? `^(?:${QUIET_COLUMNS.join('|')})$` : '';
  const dropText = [quiet, given ? `(?:${given})` : ''].filter(Boolean).join('|');
  const drop = dropText ? new RegExp(dropText) : undefined;
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
