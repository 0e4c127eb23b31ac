// `cm lint script [NAME...|--tags=...]`: checks script metas against the shipped JSON Schema and the
// other scripts of the registered repos, and prints `file:line:col: severity rule message` like a
// compiler. Problems are data; errors make the action fail (exit 1), warnings alone do not.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, isAbsolute, join, relative } from 'node:path';
import { CmError } from '../../core/errors.js';
import { rowKeys } from '../../core/flags.js';
import { isDict, type Dict } from '../../core/merge.js';
import { DEP_KEYS } from '../../core/script/deps.js';
import {
  depNamesOf,
  LINT_RULES,
  lintScriptMeta,
  type LintFacts,
  type LintProblem,
} from '../../core/script/lint-rules.js';
import { checkWithSchema, type MetaFormat } from '../../core/script/meta-schema.js';
import { splitScriptTags } from '../../core/script/variations.js';
import { tagList } from '../../core/tags.js';
import type { ArtifactEntry } from '../../db/artifact-entry.js';
import { parseJson, parseYaml } from '../../db/meta-file.js';
import { locateMeta } from '../../db/meta-locations.js';
import { metaFilesOf } from '../../db/repo.js';
import type { ActionSpec } from '../action.js';
import type { CmContext } from '../context.js';
import { artifactNames } from '../input.js';
import { scriptSchema } from './meta-source.js';
import { RUN_FLAGS } from './run-flags.js';
import { findScripts, loadMeta, SCRIPT_FILTER } from './select.js';

/** One problem as printed and as `--format=json` gives it. */
export interface LintReport {
  file: string;
  line: number;
  col: number;
  severity: LintProblem['severity'];
  rule: LintProblem['rule'];
  message: string;
}

const TEXT_FILES = new Set(['.py', '.sh', '.bat', '.js', '.mjs', '.ps1', '.txt', '.cmd']);

/** Hook and native script text of a script folder (where env keys are set). */
function scriptTexts(dir: string): string[] {
  const texts: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return texts;
    throw e;
  }
  for (const n of names) {
    if (!TEXT_FILES.has(extname(n))) continue;
    const p = join(dir, n);
    const st = statSync(p, { throwIfNoEntry: false });
    if (st?.isFile() && st.size < 2_000_000) texts.push(readFileSync(p, 'utf8'));
  }
  return texts;
}

interface Catalog {
  entries: ArtifactEntry[];
  metas: Map<ArtifactEntry, Dict>;
  depNames: Set<string>;
  runInputs: Set<string>;
}

/** Every script of the registered repos with its meta (a meta that does not load is left out). */
function loadCatalog(ctx: CmContext): Catalog {
  const entries = ctx.index.query({ automation: SCRIPT_FILTER });
  const metas = new Map<ArtifactEntry, Dict>();
  const depNames = new Set<string>();
  const runInputs = new Set<string>([...rowKeys(RUN_FLAGS), ...DEP_KEYS]);
  for (const e of entries) {
    let meta: Dict;
    try {
      meta = loadMeta(ctx, e);
    } catch (err) {
      if (err instanceof CmError) continue; // reported when that script itself is linted
      throw err;
    }
    metas.set(e, meta);
    for (const n of depNamesOf(meta)) depNames.add(n);
    const subs = [meta, ...(isDict(meta['variations']) ? Object.values(meta['variations']) : [])];
    for (const s of subs)
      if (isDict(s) && isDict(s['input_mapping']))
        for (const k of Object.keys(s['input_mapping'])) runInputs.add(k);
  }
  return { entries, metas, depNames, runInputs };
}

function exportsOfMeta(meta: Dict): string[] {
  const out: string[] = [];
  const subs = [meta, ...(isDict(meta['variations']) ? Object.values(meta['variations']) : [])];
  for (const s of subs) {
    if (!isDict(s)) continue;
    if (Array.isArray(s['new_env_keys'])) out.push(...s['new_env_keys'].map(String));
    for (const k of ['env', 'default_env', 'const'])
      if (isDict(s[k])) out.push(...Object.keys(s[k]));
  }
  return out;
}

function factsFor(catalog: Catalog, entry: ArtifactEntry): LintFacts {
  const matching = (tags: readonly string[]): ArtifactEntry[] =>
    catalog.entries.filter((e) => tags.every((t) => e.tags.includes(t)));
  return {
    hasScript: (tags) => catalog.entries.some((e) => tags.every((t) => e.tags.includes(t))),
    depNames: catalog.depNames,
    exportsOf: (tags) =>
      matching(tags).flatMap((e) => {
        const m = catalog.metas.get(e);
        return m ? exportsOfMeta(m) : [];
      }),
    scriptTexts: scriptTexts(entry.path),
  };
}

/** The problems of one meta file of `entry`, located in its text. */
function lintFile(
  file: string,
  entry: ArtifactEntry,
  catalog: Catalog,
  schema: Dict,
): Array<LintProblem & { line: number; col: number }> {
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = file.endsWith('.json') ? parseJson(text, file) : parseYaml(text, file);
  } catch (e) {
    if (!(e instanceof CmError)) throw e;
    const line = Number((e.details as { line?: number } | undefined)?.line ?? 1);
    const message = e.message.replace(`${file}${line ? `:${line}` : ''}: `, '');
    return [{ rule: 'parse-error', severity: 'error', path: [], message, line, col: 1 }];
  }
  const where = locateMeta(text);
  const at = (p: LintProblem): LintProblem & { line: number; col: number } => ({
    ...p,
    ...(where?.at(p.path) ?? { line: 1, col: 1 }),
  });
  const problems: Array<LintProblem & { line: number; col: number }> = [];
  for (const d of where?.duplicates ?? [])
    problems.push({
      rule: 'duplicate-key',
      severity: 'error',
      path: d.path,
      message: `${d.path.join('.')} is written twice in one mapping (the last one wins)`,
      line: d.line,
      col: d.col,
    });
  const format: MetaFormat = entry.repo.format === 'mlc' ? 'mlc' : 'cm';
  const runInputs = catalog.runInputs;
  for (const p of checkWithSchema(value, schema, { format, isRunInput: (k) => runInputs.has(k) }))
    problems.push(at({ rule: p.rule, severity: 'error', path: p.path, message: p.message }));
  if (!isDict(value)) return problems;
  const merged = catalog.metas.get(entry) ?? value;
  const variations = isDict(merged['variations']) ? merged['variations'] : {};
  for (const p of lintScriptMeta(value, variations, factsFor(catalog, entry))) problems.push(at(p));
  return problems;
}

function selectEntries(input: Dict, ctx: CmContext, catalog: Catalog): ArtifactEntry[] {
  const names = artifactNames(input);
  const tags = tagList(input['tags']);
  // The built-in scripts are CM's own: linted when named, not in every user's report.
  if (names.length === 0 && tags.length === 0)
    return catalog.entries.filter((e) => e.repo.kind !== 'internal');
  const split = splitScriptTags(tags);
  const q = { names, include: split.include, exclude: split.exclude, variations: [] };
  return findScripts(ctx, q).map((c) => c.entry);
}

function shownPath(ctx: CmContext, file: string): string {
  const r = relative(ctx.cwd, file);
  return r.startsWith('..') || isAbsolute(r) ? file : r;
}

/** Lints the selected scripts; the reports sorted by file, line and column. */
export function lintScripts(input: Dict, ctx: CmContext): { files: number; reports: LintReport[] } {
  const schema = scriptSchema(ctx);
  const catalog = loadCatalog(ctx);
  const reports: LintReport[] = [];
  let files = 0;
  for (const entry of selectEntries(input, ctx, catalog)) {
    for (const name of metaFilesOf(entry.repo)) {
      const file = join(entry.path, name);
      if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
      files++;
      for (const p of lintFile(file, entry, catalog, schema))
        reports.push({
          file: shownPath(ctx, file),
          line: p.line,
          col: p.col,
          severity: p.severity,
          rule: p.rule,
          message: p.message,
        });
    }
  }
  reports.sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1,
  );
  return { files, reports };
}

export const lint: ActionSpec = {
  summary: 'check script metas: unknown keys, wrong types, missing variations, deps and dep names',
  usage: 'cm lint script [NAME ...] [--tags=a,b] [--format=json]',
  flags: [
    ['--tags=a,b', 'lint the scripts with these tags (default: all but the built-in ones)'],
    ['--format=text|json', 'file:line:col lines (default) or one JSON object on stdout'],
  ],
  run(input, ctx) {
    const format = input['format'] ?? 'text';
    if (format !== 'text' && format !== 'json')
      throw new CmError('bad-input', `unknown --format=${String(format)}`, {
        hint: 'use --format=text or --format=json',
      });
    const { files, reports } = lintScripts(input, ctx);
    const errors = reports.filter((r) => r.severity === 'error').length;
    const warnings = reports.length - errors;
    const counts: Record<string, number> = {};
    for (const rule of LINT_RULES) {
      const n = reports.filter((r) => r.rule === rule).length;
      if (n) counts[rule] = n;
    }
    const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    const summary = `${plural(files, 'script meta')}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
    if (format === 'json')
      ctx.emit({
        type: 'output',
        text: JSON.stringify({ files, errors, warnings, counts, problems: reports }, null, 2),
      });
    else if (reports.length)
      ctx.emit({
        type: 'output',
        text: reports
          .map((r) => `${r.file}:${r.line}:${r.col}: ${r.severity} ${r.rule} ${r.message}`)
          .join('\n'),
      });
    const result = { files, errors, warnings, counts, problems: reports };
    if (errors > 0)
      return {
        ...result,
        return: 1,
        error: summary,
        hint: 'fix the metas (the schema is schema/script-meta.schema.json in the package)',
      };
    ctx.emit({ type: 'info', text: summary });
    return result;
  },
};
