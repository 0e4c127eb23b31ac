// query_experiments: `cm show experiment [NAME] [--tags=T] [--dir=RUN] [--derive=E]... [--where=E]
// [--pareto=SPEC] -j` as a child process: the result rows (flat, with their provenance columns),
// limited to `limit`, and the experiments and runs they came from. A bad expression is the CLI's
// own error (`--where: unexpected character ...` with its column).
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runCli, type CliOptions } from './cli-child.js';
import { cliResult, toolResult } from './tool-result.js';

export interface Objective {
  key: string;
  goal: 'min' | 'max';
}

export interface QueryArgs {
  name?: string | undefined;
  tags?: string | undefined;
  run?: string | undefined;
  derive?: string[] | undefined;
  filter?: string | undefined;
  pareto?: string | Objective[] | undefined;
  limit?: number | undefined;
}

/** --pareto's text: as given, or "KEY:goal,KEY:goal" from a list of objectives. */
export function paretoSpec(p: string | readonly Objective[]): string {
  return typeof p === 'string' ? p : p.map((o) => `${o.key}:${o.goal}`).join(',');
}

/** The CLI's arguments for a query (each flag one argv word: no shell between). */
export function showArgs(a: QueryArgs): string[] {
  return [
    'show',
    'experiment',
    ...(a.name ? [a.name] : []),
    ...(a.tags ? [`--tags=${a.tags}`] : []),
    ...(a.run ? [`--dir=${a.run}`] : []),
    ...(a.derive ?? []).map((d) => `--derive=${d}`),
    ...(a.filter ? [`--where=${a.filter}`] : []),
    ...(a.pareto !== undefined ? [`--pareto=${paretoSpec(a.pareto)}`] : []),
    '-j',
  ];
}

type Row = Record<string, unknown>;

const PROVENANCE = new Set([
  'experiment_uid',
  'experiment_alias',
  'experiment_tags',
  'experiment_dir',
  'uid',
  'iso_datetime',
  'command',
  'duration_s',
  'exit_code',
  'step',
  'repeat',
]);

/** `alias/uid: k=v k=v` without the bookkeeping columns, for the text summary. */
function rowLine(r: Row): string {
  const values = Object.entries(r)
    .filter(([k]) => !PROVENANCE.has(k) && !k.startsWith('lockfile'))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const who = String(r['experiment_alias'] || r['experiment_uid'] || '');
  return `${who}/${String(r['uid'] ?? '')}: ${values.join(' ')}`;
}

/** The rows of `cm show experiment` and the experiments they came from (runs with result counts). */
export async function queryRows(
  a: QueryArgs,
  opts: CliOptions,
): Promise<{ rows: Row[]; result: Record<string, unknown> }> {
  const result = cliResult(await runCli(showArgs(a), opts), 'cm show experiment');
  const rows = Array.isArray(result['rows']) ? (result['rows'] as Row[]) : [];
  return { rows, result };
}

export async function queryExperiments(a: QueryArgs, opts: CliOptions): Promise<CallToolResult> {
  const { rows, result } = await queryRows(a, opts);
  const limit = a.limit ?? 100;
  const shown = rows.slice(0, limit);
  const experiments = Array.isArray(result['experiments']) ? result['experiments'] : [];
  const notes: Record<string, unknown> = {};
  for (const k of ['dominated', 'excluded', 'derive_errors', 'violating_constraints'])
    if (result[k] !== undefined) notes[k] = result[k];
  const summary = [
    `${rows.length} row(s) from ${experiments.length} experiment(s)${a.filter ? ` where ${a.filter}` : ''}${a.pareto !== undefined ? ` on the Pareto front (${paretoSpec(a.pareto)})` : ''}${rows.length > limit ? `; the first ${limit} returned` : ''}.`,
    ...shown.slice(0, 20).map(rowLine),
    ...(shown.length > 20 ? [`... (${shown.length - 20} more in the JSON)`] : []),
  ].join('\n');
  return toolResult(summary, {
    total: rows.length,
    truncated: rows.length > limit,
    rows: shown,
    experiments,
    ...notes,
  });
}
