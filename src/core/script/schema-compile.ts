// The JSON Schema of script metas compiled once into a tree of nodes ($ref resolved, sets and
// regular expressions built) that meta-schema.ts walks. Only the keywords the shipped schema uses.
import { isDict, type Dict } from '../merge.js';

export type MetaFormat = 'cm' | 'mlc';

/**
 * How the engine reads a value that does not fit its node (the node's `x-lenient`): `truthy` as
 * true unless a false-like word (flags), `text` a number or boolean as its text, `list` one value
 * as a list of it, `split` a "a,b" string as its comma-separated items, `skip` as absent, `keep` as
 * written (a rule of style the engine does not rely on).
 */
export type Lenient = 'truthy' | 'text' | 'list' | 'split' | 'skip' | 'keep';
const LENIENT: ReadonlySet<string> = new Set(['truthy', 'text', 'list', 'split', 'skip', 'keep']);

/** Keywords this checker understands; a test keeps the shipped schema within them. */
export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema',
  '$defs',
  '$ref',
  'title',
  'description',
  'examples',
  'type',
  'properties',
  'additionalProperties',
  'items',
  'const',
  'enum',
  'pattern',
  // Our annotations (JSON Schema lets editors ignore them): the one format that reads a key, dicts
  // whose other keys are run inputs of the dep (`force_cache`, an input of the dep's script), and
  // how the engine reads a value of the wrong type (see Lenient).
  'x-format',
  'x-open-keys',
  'x-lenient',
]);

/** Keywords allowed beside a `$ref` (the others would be ignored: a schema bug). */
const BESIDE_REF: ReadonlySet<string> = new Set(['$ref', 'description', 'x-format']);

export interface SchemaProperty {
  readonly node: SchemaNode;
  /** The one format that reads this key (x-format); undefined: both. */
  readonly format: MetaFormat | undefined;
}

/** A schema node; its children are compiled when first asked for (a meta visits a few). */
export interface SchemaNode {
  readonly types: ReadonlySet<string> | undefined;
  readonly const: { value: unknown } | undefined;
  readonly enum: readonly unknown[] | undefined;
  readonly pattern: RegExp | undefined;
  readonly items: SchemaNode | undefined;
  /** Whether the node lists properties (a dict the walks go into). */
  readonly hasProperties: boolean;
  /** The node of keys not in the properties; false: other keys are unknown; undefined: open. */
  readonly additional: SchemaNode | false | undefined;
  /** x-open-keys: run-inputs (a dep's other keys may be inputs of its script). */
  readonly openKeys: boolean;
  readonly lenient: Lenient | undefined;
  readonly examples: readonly unknown[];
  readonly description: string | undefined;
  /** The listed property `key`, or undefined. */
  property(key: string): SchemaProperty | undefined;
  /** The listed property names that `format` reads (all of them without a format). */
  propertyNames(format?: MetaFormat): string[];
}

const compiled = new WeakMap<Dict, SchemaNode>();

/**
 * The compiled root of `schema`, made on first use and kept for that object. Nodes below it are
 * compiled when first visited (one per schema object, so that $ref cycles such as depUpdate close).
 */
export function compileSchema(schema: Dict): SchemaNode {
  let root = compiled.get(schema);
  if (!root) {
    root = new Compiler(schema).node(schema);
    compiled.set(schema, root);
  }
  return root;
}

class Compiler {
  readonly #root: Dict;
  readonly #memo = new Map<Dict, SchemaNode>();

  constructor(root: Dict) {
    this.#root = root;
  }

  node(s0: Dict): SchemaNode {
    const s = this.#deref(s0);
    let node = this.#memo.get(s);
    if (!node) {
      const lenient = s['x-lenient'];
      if (lenient !== undefined && (typeof lenient !== 'string' || !LENIENT.has(lenient)))
        throw new Error(`schema: unknown x-lenient ${JSON.stringify(lenient)}`);
      node = new CompiledNode(s, this);
      this.#memo.set(s, node);
    }
    return node;
  }

  #deref(s: Dict): Dict {
    let out = s;
    for (let i = 0; i < 10 && typeof out['$ref'] === 'string'; i++) {
      const ref = out['$ref'];
      for (const k in out)
        if (!BESIDE_REF.has(k)) throw new Error(`schema: ${k} beside $ref ${ref}`);
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, part) => (isDict(node) ? node[part] : undefined), this.#root);
      if (!isDict(target)) throw new Error(`schema: unresolved $ref ${ref}`);
      out = target;
    }
    return out;
  }
}

class CompiledNode implements SchemaNode {
  readonly types: ReadonlySet<string> | undefined;
  readonly const: { value: unknown } | undefined;
  readonly enum: readonly unknown[] | undefined;
  readonly pattern: RegExp | undefined;
  readonly hasProperties: boolean;
  readonly openKeys: boolean;
  readonly lenient: Lenient | undefined;
  readonly examples: readonly unknown[];
  readonly description: string | undefined;
  readonly #schema: Dict;
  readonly #compiler: Compiler;
  #items: SchemaNode | undefined;
  #additional: SchemaNode | undefined;
  #properties: Map<string, SchemaProperty> | undefined;

  constructor(s: Dict, compiler: Compiler) {
    this.#schema = s;
    this.#compiler = compiler;
    const type = s['type'];
    this.types =
      type === undefined
        ? undefined
        : new Set(Array.isArray(type) ? type.map(String) : [String(type)]);
    this.const = s['const'] === undefined ? undefined : { value: s['const'] };
    this.enum = Array.isArray(s['enum']) ? s['enum'] : undefined;
    this.pattern = typeof s['pattern'] === 'string' ? new RegExp(s['pattern']) : undefined;
    this.hasProperties = isDict(s['properties']);
    this.openKeys = s['x-open-keys'] === 'run-inputs';
    this.lenient = s['x-lenient'] as Lenient | undefined;
    this.examples = Array.isArray(s['examples']) ? s['examples'] : [];
    this.description = typeof s['description'] === 'string' ? s['description'] : undefined;
  }

  get items(): SchemaNode | undefined {
    const items = this.#schema['items'];
    if (this.#items === undefined && isDict(items)) this.#items = this.#compiler.node(items);
    return this.#items;
  }

  get additional(): SchemaNode | false | undefined {
    const extra = this.#schema['additionalProperties'];
    if (extra === false) return false;
    if (this.#additional === undefined && isDict(extra))
      this.#additional = this.#compiler.node(extra);
    return this.#additional;
  }

  property(key: string): SchemaProperty | undefined {
    const known = this.#properties?.get(key);
    if (known) return known;
    const props = this.#schema['properties'];
    const p = isDict(props) && Object.hasOwn(props, key) ? props[key] : undefined;
    if (!isDict(p)) return undefined;
    const format = p['x-format'];
    const property = {
      node: this.#compiler.node(p),
      format: format === 'cm' || format === 'mlc' ? format : undefined,
    } as const;
    (this.#properties ??= new Map()).set(key, property);
    return property;
  }

  propertyNames(format?: MetaFormat): string[] {
    const props = this.#schema['properties'];
    if (!isDict(props)) return [];
    return Object.keys(props).filter((k) => {
      const f = (props[k] as Dict)['x-format'];
      return format === undefined || f === undefined || f === format;
    });
  }
}
