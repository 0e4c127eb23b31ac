// Checks a parsed script meta against schema/script-meta.schema.json (the subset of JSON Schema that
// file uses, listed in SUPPORTED_KEYWORDS), compiled once per schema object. Two walks share the
// compiled form: checkWithSchema (cm lint script: every unknown key and wrong type) and
// conformToSchema (the engine: the meta made to fit the schema's types). Pure: the caller loads the
// schema and locates the problems in the file.
import { nearest } from '../did-you-mean.js';
import { isDict, type Dict } from '../merge.js';
import { isTruthy } from './env.js';
import { compileSchema, type Lenient, type MetaFormat, type SchemaNode } from './schema-compile.js';

export { SUPPORTED_KEYWORDS, type Lenient, type MetaFormat } from './schema-compile.js';

export interface SchemaProblem {
  rule: 'unknown-key' | 'wrong-type';
  /** Keys and list indexes from the meta's root. */
  path: ReadonlyArray<string | number>;
  message: string;
  hint?: string;
  /** The value found at `path`. */
  value: unknown;
  /** conformToSchema only: how the engine reads the value anyway (the node's x-lenient). */
  readAs?: Lenient;
}

export interface SchemaCheckOptions {
  format: MetaFormat;
  /** Whether a key of a dep that the automation does not read is an input some script takes. */
  isRunInput(key: string): boolean;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

function matchesType(v: unknown, types: ReadonlySet<string>): boolean {
  const t = typeOf(v);
  return types.has(t) || (t === 'integer' && types.has('number'));
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

function describeTypes(types: ReadonlySet<string>): string {
  return [...types].map((t) => WORDS[t] ?? t).join(' or ');
}

function found(v: unknown): string {
  const t = typeOf(v);
  if (t === 'object' || t === 'array' || t === 'null') return WORDS[t]!;
  return `${WORDS[t] ?? t} ${JSON.stringify(v)}`;
}

function formatName(f: MetaFormat): string {
  return f === 'cm' ? 'CM (_cm.yaml/_cm.json)' : 'MLC (meta.yaml)';
}

/** `deps[0].tags`: how a path is written in messages. */
export function showPath(path: ReadonlyArray<string | number>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** A value as YAML's flow style writes it (`{group: p, env: {PREC: fp32}}`), for hints. */
function flow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (isDict(v))
    return `{${Object.entries(v)
      .map(([k, x]) => `${flow(k)}: ${flow(x)}`)
      .join(', ')}}`;
  const plain =
    typeof v === 'string' &&
    /^[A-Za-z_][\w.,-]*$/.test(v) &&
    !/^(true|false|yes|no|on|off|null)$/i.test(v);
  return plain ? v : JSON.stringify(v);
}

/** What to write instead: the value rewritten when its intent is plain, else the schema's example. */
function hintFor(node: SchemaNode, path: ReadonlyArray<string | number>, v: unknown): string {
  const last = path[path.length - 1];
  const key = typeof last === 'string' ? last : undefined;
  const lead = key === undefined ? '- ' : `${key}: `;
  const isDep = (n: SchemaNode | undefined): boolean => n?.property('tags') !== undefined;
  if (node.types?.has('array') && typeof v === 'string') {
    if (isDep(node.items)) return `write it as\n${key ?? '-'}:\n- tags: ${v}`;
    const items = v.split(',').map((x) => x.trim());
    return `write it as a list: ${lead}[${items.filter((x) => x !== '').join(', ')}]`;
  }
  if (key === undefined && isDep(node) && typeof v === 'string')
    return `write it as "- tags: ${v}"`;
  if (node.examples.length) return `e.g. ${lead}${flow(node.examples[0])}`;
  if (node.types?.has('object')) return `e.g. ${lead}{KEY: value}`;
  if (node.types?.has('array')) return `e.g. ${lead}[A, B]`;
  return node.description ? `${key ?? 'it'}: ${node.description}` : '';
}

/** Why `v` does not fit `node` (ignoring its children), or undefined when it does. */
function misfit(
  v: unknown,
  node: SchemaNode,
  path: ReadonlyArray<string | number>,
): string | undefined {
  let want: string;
  if (node.types && !matchesType(v, node.types)) want = describeTypes(node.types);
  else if (node.const && v !== node.const.value) want = JSON.stringify(node.const.value);
  else if (node.enum && !node.enum.includes(v)) {
    const e = node.enum;
    want =
      e.includes(true) && e.includes(false)
        ? 'true or false'
        : `one of ${e.map((x) => JSON.stringify(x)).join(', ')}`;
  } else if (node.pattern && typeof v === 'string' && !node.pattern.test(v))
    return `${showPath(path) || 'the meta'} must match ${node.pattern.source}`;
  else return undefined;
  return `${showPath(path) || 'the meta'} must be ${want} (found ${found(v)})`;
}

function problem(
  node: SchemaNode,
  path: ReadonlyArray<string | number>,
  v: unknown,
  message: string,
): SchemaProblem {
  const hint = hintFor(node, path, v);
  return { rule: 'wrong-type', path, message, value: v, ...(hint ? { hint } : {}) };
}

/** The problems of `value` against `schema` (the root, for $ref), collected in document order. */
export function checkWithSchema(
  value: unknown,
  schema: Dict,
  options: SchemaCheckOptions,
): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  walk(value, compileSchema(schema), [], options, problems);
  return problems;
}

function walk(
  v: unknown,
  node: SchemaNode,
  path: Array<string | number>,
  o: SchemaCheckOptions,
  out: SchemaProblem[],
): void {
  // A key left empty (`deps:`) is null: the engine takes it as absent.
  if (v === null && path.length > 0) return;
  const wrong = misfit(v, node, path);
  if (wrong !== undefined) {
    out.push(problem(node, path, v, wrong));
    return;
  }
  if (Array.isArray(v) && node.items) {
    const items = node.items;
    v.forEach((item, i) => walk(item, items, [...path, i], o, out));
  }
  if (isDict(v)) walkDict(v, node, path, o, out);
}

function walkDict(
  v: Dict,
  node: SchemaNode,
  path: Array<string | number>,
  o: SchemaCheckOptions,
  out: SchemaProblem[],
): void {
  for (const [key, item] of Object.entries(v)) {
    const p = node.property(key);
    if (p) {
      if (p.format !== undefined && p.format !== o.format) {
        out.push({
          rule: 'unknown-key',
          path: [...path, key],
          value: item,
          message: `${showPath([...path, key])} is read by ${formatName(p.format)} only, not by ${formatName(o.format)}`,
        });
        continue;
      }
      walk(item, p.node, [...path, key], o, out);
    } else if (node.additional) {
      walk(item, node.additional, [...path, key], o, out);
    } else if (node.additional === false) {
      if (node.openKeys && o.isRunInput(key)) continue;
      out.push(unknownKey(node, o.format, key, path, item));
    }
  }
}

function unknownKey(
  node: SchemaNode,
  format: MetaFormat,
  key: string,
  path: Array<string | number>,
  item: unknown,
): SchemaProblem {
  const known = node.propertyNames(format);
  // A short key inside a long one (`ad` in `MLC_DOWNLOAD_URL`) is no near miss.
  const near = nearest(key, known, 1).filter((k) => k.length * 2 >= key.length);
  return {
    rule: 'unknown-key',
    path: [...path, key],
    value: item,
    message: `unknown key ${JSON.stringify(key)} in ${showPath(path) || 'the meta'}${near.length ? `: did you mean ${near[0]}?` : ''}`,
    ...(near.length ? { hint: `did you mean ${near[0]}?` } : {}),
  };
}

/** A value left out of the conformed meta: the engine cannot read it. */
const OMIT = Symbol('omit');

/**
 * `value` made to fit the schema's types, as the engine reads a meta: a value of the wrong type is
 * read as its node's x-lenient says (a problem with `readAs`), else left out (a problem without);
 * a null below the root that the schema does not allow is left out (an empty key is absent).
 * Unknown keys and keys of either format are kept as written (CM meta is open-ended). A list or
 * dict is copied only where something in it changed; the rest is shared with `value`.
 */
export function conformToSchema(
  value: unknown,
  schema: Dict,
): { value: unknown; problems: SchemaProblem[] } {
  const problems: SchemaProblem[] = [];
  const out = conform(value, compileSchema(schema), [], problems);
  return { value: out === OMIT ? undefined : out, problems };
}

/** `path` is the walk's own stack (pushed and popped); a problem gets a copy. */
function conform(
  v0: unknown,
  node: SchemaNode,
  path: Array<string | number>,
  out: SchemaProblem[],
): unknown {
  let v = v0;
  if (v === null && path.length > 0) return node.types?.has('null') ? null : OMIT;
  const wrong = misfit(v, node, path);
  if (wrong !== undefined) {
    const p = problem(node, path.slice(), v, wrong);
    const read = node.lenient === undefined ? OMIT : readLeniently(v, node.lenient);
    out.push(read === OMIT && node.lenient !== 'skip' ? p : { ...p, readAs: node.lenient! });
    if (read === OMIT) return OMIT;
    v = read;
  }
  if (Array.isArray(v)) return node.items ? conformList(v, node.items, path, out) : v;
  if (isDict(v) && (node.hasProperties || node.additional)) return conformDict(v, node, path, out);
  return v;
}

/** The items that fit `items`; `list` itself when all do as they are (no copy). */
function conformList(
  list: unknown[],
  items: SchemaNode,
  path: Array<string | number>,
  out: SchemaProblem[],
): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    path.push(i);
    const x = conform(list[i], items, path, out);
    path.pop();
    if (copy === undefined && x !== list[i]) copy = list.slice(0, i);
    if (copy !== undefined && x !== OMIT) copy.push(x);
  }
  return copy ?? list;
}

/** The dict with each described key made to fit; `dict` itself when all do as they are. */
function conformDict(
  dict: Dict,
  node: SchemaNode,
  path: Array<string | number>,
  out: SchemaProblem[],
): Dict {
  let copy: Dict | undefined;
  const keys = Object.keys(dict);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = dict[key];
    const p = node.property(key)?.node ?? (node.additional || undefined);
    if (!p) {
      if (copy) copy[key] = item;
      continue;
    }
    path.push(key);
    const x = conform(item, p, path, out);
    path.pop();
    if (copy === undefined && x !== item) {
      copy = {};
      // `__proto__` is refused where metas are read; copied, it would replace the prototype.
      for (const k of keys.slice(0, i)) if (k !== '__proto__') copy[k] = dict[k];
    }
    if (copy !== undefined && x !== OMIT && key !== '__proto__') copy[key] = x;
  }
  return copy ?? dict;
}

/** The engine's reading of a value that does not fit its node (the node's x-lenient). */
function readLeniently(v: unknown, how: Lenient): unknown {
  switch (how) {
    case 'truthy':
      return isTruthy(v);
    case 'text':
      return typeof v === 'number' || typeof v === 'boolean' ? String(v) : OMIT;
    case 'list':
      return Array.isArray(v) ? v : [v];
    case 'split':
      return typeof v === 'string'
        ? v
            .split(',')
            .map((t) => t.trim())
            .filter((t) => t !== '')
        : OMIT;
    case 'skip':
      return OMIT;
    case 'keep':
      return v;
    default: {
      const never: never = how;
      throw new Error(`unhandled x-lenient ${String(never)}`);
    }
  }
}
