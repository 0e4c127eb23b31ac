// The run-time check of a script meta: resolve it (script-meta.ts, against the schema) and stop the
// run with one error that names the file and every key the engine cannot read; warnings pass.
import { CmError } from '../errors.js';
import type { Dict } from '../merge.js';
import {
  resolveScriptMeta,
  type MetaProblem,
  type ResolvedScriptMeta,
  type ScriptMetaSource,
} from './script-meta.js';

/** The resolved meta; throws one `bad-meta` error listing every error of `meta`. */
export function checkScriptMeta(meta: Dict, source: ScriptMetaSource): ResolvedScriptMeta {
  const { meta: resolved, problems } = resolveScriptMeta(meta, source);
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw badMetaError(source.file(), errors);
  return resolved;
}

/**
 * One error for all of `errors`: `FILE: KEY must be ...` for one, else `FILE: N keys the engine
 * cannot read:` and a line each; the hints follow each other, each under its key when several.
 */
export function badMetaError(file: string, errors: readonly MetaProblem[]): CmError {
  const details = {
    file,
    problems: errors.map((p) => ({
      key: p.key,
      value: p.value,
      message: p.message,
      ...(p.hint ? { hint: p.hint } : {}),
    })),
  };
  const [only] = errors;
  if (errors.length === 1 && only)
    return new CmError('bad-meta', `${file}: ${only.message}`, {
      ...(only.hint ? { hint: only.hint } : {}),
      details,
    });
  const hints = errors.filter((p) => p.hint).map((p) => `${p.key}: ${p.hint}`);
  return new CmError(
    'bad-meta',
    `${file}: ${errors.length} keys the engine cannot read:\n${errors.map((p) => `  ${p.message}`).join('\n')}`,
    { ...(hints.length ? { hint: hints.join('\n') } : {}), details },
  );
}
