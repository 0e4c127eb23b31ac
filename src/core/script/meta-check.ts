// Shape checks of a script meta: a key of the wrong type is an error that names the file and the
// key, instead of being ignored (a `deps: detect,os` string would silently run no dep).
import { CmError } from '../errors.js';
import { isDict, type Dict } from '../merge.js';

export const CHECKED_DEP_LISTS = ['deps', 'prehook_deps', 'posthook_deps', 'post_deps'];
export const DICT_KEYS = [
  'env',
  'default_env',
  'const',
  'state',
  'const_state',
  'input_mapping',
  'docker',
  'adr',
  'add_deps_recursive',
  'ad',
  'add_deps',
];
export const LIST_KEYS = [
  'new_env_keys',
  'new_state_keys',
  'local_env_keys',
  'clean_files',
  'clean_output_files',
  'base',
];
export const CONDITIONS = ['enable_if_env', 'enable_if_any_env', 'skip_if_env', 'skip_if_any_env'];

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isDict(v)) return 'a dict';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function bad(file: string, key: string, want: string, v: unknown, hint: string): CmError {
  return new CmError('bad-meta', `${file}: ${key} must be ${want} (found ${typeName(v)})`, {
    hint,
  });
}

function checkDeps(file: string, at: string, v: unknown): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v))
    throw bad(
      file,
      at,
      'a list of deps',
      v,
      `write it as\n${at.split('.').pop()}:\n- tags: detect,os`,
    );
  v.forEach((d, i) => {
    const k = `${at}[${i}]`;
    if (!isDict(d))
      throw bad(
        file,
        k,
        'a dict like {tags: "detect,os"}',
        d,
        `write it as "- tags: ${typeof d === 'string' ? d : 'a,b'}"`,
      );
    const tags = d['tags'];
    if (
      tags !== undefined &&
      typeof tags !== 'string' &&
      !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))
    )
      throw bad(
        file,
        `${k}.tags`,
        'a string "a,b" or a list of strings',
        tags,
        'e.g. tags: get,python3',
      );
    for (const c of CONDITIONS)
      if (d[c] !== undefined && !isDict(d[c]))
        throw bad(
          file,
          `${k}.${c}`,
          'a dict {ENV_KEY: [values]}',
          d[c],
          `e.g. ${c}: {CM_HOST_OS_TYPE: [linux]}`,
        );
  });
}

function checkSub(file: string, at: string, m: Dict): void {
  const p = at ? `${at}.` : '';
  for (const k of DICT_KEYS)
    if (m[k] !== undefined && m[k] !== null && !isDict(m[k]))
      throw bad(file, `${p}${k}`, 'a dict', m[k], `e.g. ${k}: {KEY: value}`);
  for (const k of LIST_KEYS)
    if (m[k] !== undefined && m[k] !== null && !Array.isArray(m[k]))
      throw bad(
        file,
        `${p}${k}`,
        'a list',
        m[k],
        `e.g. ${k}: [${typeof m[k] === 'string' ? m[k] : 'A, B'}]`,
      );
  for (const l of CHECKED_DEP_LISTS) checkDeps(file, `${p}${l}`, m[l]);
}

/** Throws a `bad-meta` error naming file and key for the first key of the wrong type. */
export function checkScriptMeta(meta: Dict, fileName: () => string): void {
  try {
    check(meta, '\0');
  } catch (e) {
    if (e instanceof CmError) {
      throw new CmError(e.code, e.message.replace('\0', fileName()), { hint: e.hint });
    }
    throw e;
  }
}

function check(meta: Dict, file: string): void {
  checkSub(file, '', meta);
  const variations = meta['variations'];
  if (variations !== undefined && variations !== null) {
    if (!isDict(variations))
      throw bad(
        file,
        'variations',
        'a dict {name: {env: ...}}',
        variations,
        'e.g. variations:\n  fp32:\n    env: {PREC: fp32}',
      );
    for (const [name, v] of Object.entries(variations)) {
      if (v === null) continue;
      if (!isDict(v))
        throw bad(
          file,
          `variations.${name}`,
          'a dict',
          v,
          'e.g. {group: precision, env: {PREC: fp32}}',
        );
      checkSub(file, `variations.${name}`, v);
    }
  }
  const versions = meta['versions'];
  if (versions !== undefined && versions !== null) {
    if (!isDict(versions))
      throw bad(
        file,
        'versions',
        'a dict {version: {env: ...}}',
        versions,
        'e.g. versions:\n  "1.0": {env: {URL: ...}}',
      );
    for (const [name, v] of Object.entries(versions)) {
      if (v === null) continue;
      if (!isDict(v)) throw bad(file, `versions.${name}`, 'a dict', v, 'e.g. {env: {URL: ...}}');
      checkSub(file, `versions.${name}`, v);
    }
  }
}
