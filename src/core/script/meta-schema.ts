// Checks a parsed script meta against schema/script-meta.schema.json (the subset of JSON Schema that
// file uses, listed in SUPPORTED_KEYWORDS) and returns every unknown key and wrong type. Pure: the
// caller loads the schema and locates the problems in the file.
import { nearest } from '../did-you-mean.js';
import { isDict, type Dict } from '../merge.js';

export type MetaFormat = 'cm' | 'mlc';

/** Keywords this checker understands; a test keeps the shipped schema within them. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema',
  '$defs',
  '$ref',
  'title',
  'description',
  'type',
  'properties',
  'additionalProperties',
  'items',
  'const',
  'enum',
  'pattern',
  // Our annotations (JSON Schema lets editors ignore them): the one format that reads a key, and
  // dicts whose other keys are run inputs of the dep (`force_cache`, an input of the dep's script).
  'x-format',
  'x-open-keys',
]);

export interface SchemaProblem {
  rule: 'unknown-key' | 'wrong-type';
  /** Keys and list indexes from the meta's root. */
  path: ReadonlyArray<string | number>;
  message: string;
  hint?: string;
}

export interface SchemaCheckOptions {
  format: MetaFormat;
  /** Whether a key of a dep that the automation does not read is an input some script takes. */
  isRunInput(key: string): boolean;
}

type Schema = Dict;

function resolve(root: Schema, s: Schema): Schema {
  let out = s;
  for (let i = 0; i < 10 && typeof out['$ref'] === 'string'; i++) {
    const ref = out['$ref'];
    const target = ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, part) => (isDict(node) ? node[part] : undefined), root);
    if (!isDict(target)) throw new Error(`schema: unresolved $ref ${ref}`);
    out = target;
  }
  return out;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isDict(v)) return 'object';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function matchesType(v: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? (type as string[]) : [String(type)];
  const t = typeOf(v);
  return types.some((x) => x === t || (x === 'number' && t === 'integer'));
}

const WORDS: Record<string, string> = {
  object: 'a dict',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'null',
};

function describeType(type: unknown): string {
  const types = Array.isArray(type) ? (type as string[]) : [String(type)];
  return types.map((t) => WORDS[t] ?? t).join(' or ');
}

function found(v: unknown): string {
  const t = typeOf(v);
  if (t === 'object' || t === 'array' || t === 'null') return WORDS[t]!;
  return `${WORDS[t] ?? t} ${JSON.stringify(v)}`;
}

function formatName(f: MetaFormat): string {
  return f === 'cm' ? 'CM (_cm.yaml/_cm.json)' : 'MLC (meta.yaml)';
}

function showPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** The problems of `value` against `schema` (the root, for $ref), collected in document order. */
export function checkWithSchema(
  value: unknown,
  schema: Schema,
  options: SchemaCheckOptions,
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  walk(value, schema, schema, [], options, problems);
  return problems;
}

function walk(
  v: unknown,
  s0: Schema,
  root: Schema,
  path: Array<string | number>,
  o: SchemaCheckOptions,
  out: SchemaProblem[],
): void {
  const s = resolve(root, s0);
  // A key left empty (`deps:`) is null: the engine takes it as absent.
  if (v === null && path.length > 0) return;
  const at = showPath(path) || 'the meta';
  if (s['const'] !== undefined && v !== s['const']) {
    out.push({
      rule: 'wrong-type',
      path,
      message: `${at} must be ${JSON.stringify(s['const'])} (found ${found(v)})`,
    });
    return;
  }
  if (s['type'] !== undefined && !matchesType(v, s['type'])) {
    out.push({
      rule: 'wrong-type',
      path,
      message: `${at} must be ${describeType(s['type'])} (found ${found(v)})`,
    });
    return;
  }
  if (Array.isArray(s['enum']) && !s['enum'].includes(v)) {
    out.push({
      rule: 'wrong-type',
      path,
      message: `${at} must be ${s['enum'].includes(true) && s['enum'].includes(false) ? 'true or false' : `one of ${s['enum'].map((x) => JSON.stringify(x)).join(', ')}`} (found ${found(v)})`,
    });
    return;
  }
  if (typeof v === 'string' && typeof s['pattern'] === 'string') {
    if (!new RegExp(s['pattern']).test(v))
      out.push({ rule: 'wrong-type', path, message: `${at} must match ${s['pattern']}` });
  }
  if (Array.isArray(v) && isDict(s['items'])) {
    v.forEach((item, i) => walk(item, s['items'] as Schema, root, [...path, i], o, out));
  }
  if (isDict(v)) walkDict(v, s, root, path, o, out);
}

function walkDict(
  v: Dict,
  s: Schema,
  root: Schema,
  path: Array<string | number>,
  o: SchemaCheckOptions,
  out: SchemaProblem[],
): void {
  const props = isDict(s['properties']) ? s['properties'] : {};
  const extra = s['additionalProperties'];
  for (const [key, item] of Object.entries(v)) {
    const p = props[key];
    if (isDict(p)) {
      const only = p['x-format'];
      if (only !== undefined && only !== o.format) {
        out.push({
          rule: 'unknown-key',
          path: [...path, key],
          message: `${showPath([...path, key])} is read by ${formatName(only as MetaFormat)} only, not by ${formatName(o.format)}`,
        });
        continue;
      }
      walk(item, p, root, [...path, key], o, out);
    } else if (isDict(extra)) {
      walk(item, extra, root, [...path, key], o, out);
    } else if (extra === false) {
      if (s['x-open-keys'] === 'run-inputs' && o.isRunInput(key)) continue;
      const known = Object.keys(props).filter((k) => {
        const f = (props[k] as Dict)['x-format'];
        return f === undefined || f === o.format;
      });
      // A short key inside a long one (`ad` in `MLC_DOWNLOAD_URL`) is no near miss.
      const near = nearest(key, known, 1).filter((k) => k.length * 2 >= key.length);
      out.push({
        rule: 'unknown-key',
        path: [...path, key],
        message: `unknown key ${JSON.stringify(key)} in ${showPath(path) || 'the meta'}${near.length ? `: did you mean ${near[0]}?` : ''}`,
        ...(near.length ? { hint: `did you mean ${near[0]}?` } : {}),
      });
    }
  }
}
