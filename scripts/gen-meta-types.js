// Writes src/core/script/written-meta.ts, the TypeScript types of script metas as written, from
// schema/script-meta.schema.json, so that a key's type is stated once (in the schema).
// `node scripts/gen-meta-types.js` regenerates it; a unit test fails when it is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_FILE = join(root, 'schema', 'script-meta.schema.json');
export const TYPES_FILE = join(root, 'src', 'core', 'script', 'written-meta.ts');

/** The TypeScript name of each $defs entry (and of the root). */
const NAMES = {
  env: 'EnvDict',
  dep: 'DepMeta',
  depUpdates: 'DepUpdatesMeta',
  depUpdate: 'DepUpdateMeta',
  variation: 'VariationMeta',
  version: 'VersionMeta',
  docker: 'DockerMeta',
  flag: 'Flag',
};

const isDict = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const typesOf = (s) => (s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type]);
const hasFields = (s) => isDict(s.properties);

function defName(ref) {
  const def = ref.replace('#/$defs/', '');
  const name = NAMES[def];
  if (!name) throw new Error(`no TypeScript name for $defs/${def}: add it to NAMES`);
  return { def, name };
}

/** The TypeScript type of a schema node (a union; `paren` wraps it for `T[]`). */
function typeOf(schema, s, paren = false) {
  let out;
  if (typeof s.$ref === 'string') {
    const { def, name } = defName(s.$ref);
    const target = schema.$defs[def];
    out = hasFields(target) && typesOf(target).includes('null') ? `${name} | null` : name;
  } else if (hasFields(s)) {
    out = `{ ${fields(schema, s).join(' ')} }`;
  } else {
    const parts = typesOf(s).map((t) => scalar(schema, s, t));
    if (parts.length === 0 && s.const !== undefined) parts.push(typeof s.const);
    out = [...new Set(parts)].join(' | ') || 'unknown';
  }
  return paren && out.includes('|') ? `(${out})` : out;
}

function scalar(schema, s, t) {
  switch (t) {
    case 'string':
    case 'boolean':
    case 'null':
      return t;
    case 'number':
    case 'integer':
      return 'number';
    case 'array':
      return `${isDict(s.items) ? typeOf(schema, s.items, true) : 'unknown'}[]`;
    case 'object':
      if (hasFields(s)) return `{ ${fields(schema, s).join(' ')} }`;
      return `{ [key: string]: ${isDict(s.additionalProperties) ? typeOf(schema, s.additionalProperties) : 'unknown'} }`;
    default:
      throw new Error(`schema type ${t} has no TypeScript type`);
  }
}

/** The fields of an object node: its properties (optional), then the keys it keeps unchecked. */
function fields(schema, s) {
  const out = [];
  for (const [k, p] of Object.entries(s.properties)) {
    const doc = p.description ?? (p.$ref ? schema.$defs[defName(p.$ref).def].description : '');
    const format = p['x-format'] === 'cm' ? 'CM' : 'MLC';
    const only = p['x-format'] && !doc?.includes(`(${format})`) ? ` (${format} only)` : '';
    if (doc || only) out.push(`/** ${`${doc ?? ''}${only}`.trim().replace(/\*\//g, '* /')} */`);
    const key = /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
    out.push(`${key}?: ${typeOf(schema, p)};`);
  }
  // Unknown keys are kept (CM meta is open-ended); lint reports them, the engine does not.
  out.push('[key: string]: unknown;');
  return out;
}

function declaration(schema, name, s) {
  const doc = s.description ? `/** ${s.description} */\n` : '';
  if (hasFields(s)) return `${doc}export interface ${name} {\n${fields(schema, s).join('\n')}\n}`;
  return `${doc}export type ${name} = ${typeOf(schema, s)};`;
}

/** The source text of written-meta.ts for `schema`, formatted as the repository's prettier. */
export async function metaTypesSource(schema) {
  const parts = [
    [
      '// Generated from schema/script-meta.schema.json by scripts/gen-meta-types.js: do not edit.',
      '// The written form of a script meta (_cm.yaml, _cm.json, meta.yaml): every key the schema',
      '// describes, typed as the schema types it; conformToSchema makes a parsed meta fit them.',
    ].join('\n'),
    declaration(schema, 'ScriptMeta', { ...schema, description: schema.title }),
    ...Object.entries(schema.$defs).map(([def, s]) =>
      declaration(schema, defName(`#/$defs/${def}`).name, s),
    ),
  ];
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(TYPES_FILE)) ?? {};
  return prettier.format(parts.join('\n\n'), { ...options, parser: 'typescript' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  writeFileSync(TYPES_FILE, await metaTypesSource(schema));
  console.log(`wrote ${TYPES_FILE}`);
}
