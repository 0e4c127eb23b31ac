// Reading typed values out of a CM input dict (CLI flags arrive as strings or true/false).
import { CmError } from '../core/errors.js';
import { isDict, type Dict } from '../core/merge.js';

export function str(i: Dict, key: string): string | undefined {
  const v = i[key];
  if (v === undefined || v === null || v === false) return undefined;
  if (v === true) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new CmError('bad-input', `--${key} must be a single value (found ${JSON.stringify(v)})`);
}

/** true for true, "yes", "true", "on", "1" (case-insensitive), as the reference's check_if_true_yes_on. */
export function bool(i: Dict, ...keys: string[]): boolean {
  return keys.some((k) => {
    const v = i[k];
    if (v === true) return true;
    return typeof v === 'string' && ['yes', 'true', 'on', '1'].includes(v.toLowerCase());
  });
}

export function dict(i: Dict, key: string): Dict {
  const v = i[key];
  if (v === undefined || v === null) return {};
  if (!isDict(v))
    throw new CmError('bad-input', `--${key} must be a set of keys (use --${key}.KEY=VALUE)`);
  return v;
}

/** `artifact` plus `artifacts` (the reference keeps the first apart). */
export function artifactNames(i: Dict): string[] {
  const out: string[] = [];
  const first = str(i, 'artifact');
  if (first !== undefined && first !== '') out.push(first);
  const more = i['artifacts'];
  if (Array.isArray(more)) for (const a of more) if (typeof a === 'string' && a !== '') out.push(a);
  return out;
}

export function isForce(i: Dict): boolean {
  return bool(i, 'f', 'force');
}
