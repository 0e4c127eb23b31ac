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
  /** Compiled on first use: a meta visits a small part of the schema. */
  readonly node: SchemaNode;
  /** The one format that reads this key (x-format); undefined: both. */
  readonly format?: MetaFormat;
}

export interface SchemaNode {
  readonly types?: ReadonlySet<string>;
  readonly const?: { value: unknown };
  readonly enum?: readonly unknown[];
  readonly pattern?: RegExp;
  readonly items?: SchemaNode;
  readonly properties?: ReadonlyMap<string, SchemaProperty>;
  /** The node of keys not in `properties`; false: other keys are unknown; undefined: open. */
  readonly additional?: SchemaNode | false;
  /** x-open-keys: run-inputs (a dep's other keys may be inputs of its script). */
  readonly openKeys: boolean;
  readonly lenient?: Lenient;
  readonly examples: readonly unknown[];
  readonly description?: string;
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
      node = this.#compile(s);
      this.#memo.set(s, node);
    }
    return node;
  }

  #deref(s: Dict): Dict {
    let out = s;
    for (let i = 0; i < 10 && typeof out['$ref'] === 'string'; i++) {
      const ref = out['$ref'];
      const beside = Object.keys(out).filter((k) => !BESIDE_REF.has(k));
      if (beside.length) throw new Error(`schema: ${beside.join(', ')} beside $ref ${ref}`);
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, part) => (isDict(node) ? node[part] : undefined), this.#root);
      if (!isDict(target)) throw new Error(`schema: unresolved $ref ${ref}`);
      out = target;
    }
    return out;
  }

  #compile(s: Dict): SchemaNode {
    const lenient = s['x-lenient'];
    if (lenient !== undefined && (typeof lenient !== 'string' || !LENIENT.has(lenient)))
      throw new Error(`schema: unknown x-lenient ${JSON.stringify(lenient)}`);
    return new CompiledNode(s, this);
  }
}

/** A node whose children (items, other keys, properties) are compiled when first asked for. */
class CompiledNode implements SchemaNode {
  readonly types: ReadonlySet<string> | undefined;
  readonly const: { value: unknown } | undefined;
  readonly enum: readonly unknown[] | undefined;
  readonly pattern: RegExp | undefined;
  readonly properties: ReadonlyMap<string, SchemaProperty> | undefined;
  readonly openKeys: boolean;
  readonly lenient: Lenient | undefined;
  readonly examples: readonly unknown[];
  readonly description: string | undefined;
  readonly #schema: Dict;
  readonly #compiler: Compiler;
  #items: SchemaNode | undefined;
  #additional: SchemaNode | false | undefined;

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
    this.openKeys = s['x-open-keys'] === 'run-inputs';
    this.lenient = s['x-lenient'] as Lenient | undefined;
    this.examples = Array.isArray(s['examples']) ? s['examples'] : [];
    this.description = typeof s['description'] === 'string' ? s['description'] : undefined;
    const props = s['properties'];
    this.properties = isDict(props) ? lazyProperties(props, compiler) : undefined;
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
}

/** The properties of a node, each compiled when first visited. */
function lazyProperties(props: Dict, compiler: Compiler): ReadonlyMap<string, SchemaProperty> {
  const out = new Map<string, SchemaProperty>();
  for (const [k, p] of Object.entries(props)) {
    if (!isDict(p)) continue;
    const format = p['x-format'];
    let node: SchemaNode | undefined;
    out.set(k, {
      format: format === 'cm' || format === 'mlc' ? format : undefined,
      get node() {
        return (node ??= compiler.node(p));
      },
    });
  }
  return out;
}
