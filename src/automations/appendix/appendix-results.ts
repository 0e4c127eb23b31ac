// "Evaluation and expected results" of an Artifact Appendix: what the locked runs exported (their
// cm-output.json) and the results table of the experiment's run, as recorded.
import { buildTable, formatTable } from '../../core/experiment/table.js';
import { isDict } from '../../core/merge.js';
import { distinctRuns, type AppendixSources } from './appendix-sources.js';
import type { ExperimentFacts } from './experiment-facts.js';
import type { LockedRun } from './locked-run.js';

const MAX_ROWS = 30;
const MAX_COLUMNS = 12;
const MAX_CELL = 100;

/** Keys of a result that say how it was recorded, not what it found (cm-output.json's own included). */
const NOT_RESULTS =
  /^(uid|iso_datetime|command|lockfiles?|replay_of|output_problem|return|version_info|info\..*|input\..*)$/;

function cell(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

function outputLines(run: LockedRun): string[] {
  const output = run.output?.['output'];
  const env = isDict(output) && isDict(output['new_env']) ? output['new_env'] : {};
  const keys = Object.keys(env).sort();
  const head = `The run locked in \`${run.shown}\` exported (\`${run.outputShown}\`)`;
  if (keys.length === 0) return [`${head} no env.`];
  const rows = keys
    .slice(0, MAX_ROWS)
    .map((k) => `| ${k} | ${cell(env[k]).replace(/\|/g, '\\|')} |`);
  const more = keys.length > MAX_ROWS ? ['', `… and ${keys.length - MAX_ROWS} more keys.`] : [];
  return [`${head}:`, '', '| key | value |', '| --- | --- |', ...rows, ...more];
}

function experimentTable(e: ExperimentFacts): string[] {
  const rows = e.results.map((r) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => !NOT_RESULTS.test(k))),
  );
  const dims = isDict(e.input['explore']) ? Object.keys(e.input['explore']) : [];
  const table = buildTable(rows.slice(0, MAX_ROWS), {
    columns: ['step', 'repeat', ...dims, 'exit_code', 'duration_s'],
  });
  const hidden = table.columns.length - MAX_COLUMNS;
  if (hidden > 0) {
    table.columns = table.columns.slice(0, MAX_COLUMNS);
    table.rows = table.rows.map((r) => r.slice(0, MAX_COLUMNS));
  }
  const notes: string[] = [];
  if (hidden > 0) notes.push(`${hidden} more columns`);
  if (e.results.length > MAX_ROWS) notes.push(`${e.results.length - MAX_ROWS} more rows`);
  const all = `cm show experiment ${e.alias} --dir=${e.runName} --md --all`;
  return [
    `The results of the experiment's run \`${e.runName}\` (${e.results.length} steps, from its \`cm-result.json\`):`,
    '',
    formatTable(table, 'md').trimEnd(),
    ...(notes.length > 0 ? ['', `(${notes.join(', ')}: \`${all}\`)`] : []),
  ];
}

/** A.6: the recorded outputs and results a reproduction should match. */
export function resultsLines(s: AppendixSources): string[] {
  const out: string[] = [];
  if (s.experiment && s.experiment.results.length > 0)
    out.push(...experimentTable(s.experiment), '');
  // An experiment's step outputs are in its table already.
  if (!s.experiment)
    for (const { run } of distinctRuns(s.runs)) if (run.output) out.push(...outputLines(run), '');
  if (out.length === 0)
    return [
      "No results were recorded with these runs: `cm run script … --repro` writes `cm-output.json` beside `cm-lock.json`, and `cme … --lock` records each step's results and lockfile.",
    ];
  out.push(
    `A reproduction should ${s.experiment ? 'record the same result keys' : 'export the same keys'}; values that depend on the host (paths, timings, the machine's name) will differ. \`cm lock diff OLD NEW\` compares the lockfile of a reproduction with the one above.`,
  );
  return out;
}
