// Reading and writing meta files (_cm.yaml, _cm.json, cmr.yaml ...). Parse errors name the file
// and line. YAML follows YAML 1.1 like the reference's PyYAML (yes/no are booleans). Parsed data
// keeps the bounds of core/data-limits.ts (meta-limits.ts checks them).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as pathModule from 'node:path';
import { MAX_DEPTH } from '../core/data-limits.js';
import { CmError } from '../core/errors.js';
import { isDict, sortKeys, type Dict } from '../core/merge.js';
import { writeFileAtomic } from './atomic-file.js';
import { checkJsonValue, checkYamlEvents, lineOfOffset, tooDeep } from './meta-limits.js';

type JsYaml = typeof import('js-yaml');
let jsYaml: JsYaml | undefined;
let pyyamlSchema: import('js-yaml').Schema | undefined;

const PYYAML_TRUE = ['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'];
const PYYAML_FALSE = ['no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'];

/**
 * What PyYAML (the reference's loader) resolves: YAML 1.1 nulls, ints, floats, merge keys and
 * booleans, except that `y`/`n` stay strings as in PyYAML; dates stay strings.
 */
function schema(): import('js-yaml').Schema {
  if (pyyamlSchema) return pyyamlSchema;
  const y = yaml();
  const bool = y.defineScalarTag('tag:yaml.org,2002:bool', {
    implicit: true,
    implicitFirstChars: ['y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O'],
    resolve: (source) =>
      PYYAML_TRUE.includes(source) ? true : PYYAML_FALSE.includes(source) ? false : y.NOT_RESOLVED,
    identify: (v) => typeof v === 'boolean',
    represent: (v) => (v ? 'true' : 'false'),
  });
  pyyamlSchema = new y.Schema([
    ...y.FAILSAFE_SCHEMA.tags,
    y.nullYaml11Tag,
    bool,
    y.intYaml11Tag,
    y.floatYaml11Tag,
    y.mergeTag,
  ]);
  return pyyamlSchema;
}
/** js-yaml is loaded only when a YAML file is really read or written (keeps start-up fast). */
export function yaml(): JsYaml {
  jsYaml ??= createRequire(import.meta.url)('js-yaml') as JsYaml;
  return jsYaml;
}

function locateJsonError(text: string, message: string): number | undefined {
  const m = /position (\d+)/.exec(message);
  if (m) return lineOfOffset(text, Number(m[1]));
  // Node 20 often quotes the text around the bad token instead: `Unexpected token '}', "…": }" is
  // not valid JSON`. Find that excerpt in the text; the token is its last occurrence there.
  const quoted = /^Unexpected token '(.)', (?:\.\.\.)?"(.*)"(?:\.\.\.)? is not valid JSON$/s.exec(
    message,
  );
  if (quoted) {
    const token = quoted[1]!;
    const excerpt = quoted[2]!;
    const at = text.indexOf(excerpt);
    const inExcerpt = excerpt.lastIndexOf(token);
    if (at >= 0 && inExcerpt >= 0 && text.indexOf(excerpt, at + 1) < 0) {
      return lineOfOffset(text, at + inExcerpt);
    }
  }
  try {
    yaml().load(text, { schema: yaml().JSON_SCHEMA });
  } catch (e) {
    const mark = (e as { mark?: { line?: number } }).mark;
    if (mark?.line !== undefined) return mark.line + 1;
  }
  return undefined;
}

export interface ParseJsonOptions {
  /** CM's own cache, written by CM from data already checked: skip the bounds (it can be large). */
  isOwnCache?: boolean;
}

/** JSON.parse, with errors that name the file and line, and the bounds of data-limits.ts. */
export function parseJson(text: string, file: string, options: ParseJsonOptions = {}): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const full = (e as Error).message;
    const msg = (full.split('\n')[0] ?? '').replace(/, (\.\.\.)?".*$/, '');
    const line = locateJsonError(text, full);
    throw new CmError('bad-meta', `${file}${line ? `:${line}` : ''}: malformed JSON: ${msg}`, {
      hint: 'fix the file by hand (or delete it), then run the command again',
      details: { file, line },
    });
  }
  if (!options.isOwnCache) checkJsonValue(value, text, file);
  return value;
}

/**
 * js-yaml's load, in its two steps so that the events can be checked before any value is built
 * (an alias bomb is refused before it expands). The parser's maxDepth guards its recursion; it
 * counts scalars and some block levels too, so checkYamlEvents applies the exact bound.
 */
function loadYaml(text: string, file: string): unknown {
  const y = yaml();
  const events = y.parseEvents(text, { filename: file, maxDepth: MAX_DEPTH + 2 });
  checkYamlEvents(y, events, text, file);
  const options = { source: text, schema: schema(), filename: file, json: true };
  const documents = y.constructFromEvents(events, options);
  if (documents.length === 1) return documents[0];
  throw new y.YAMLException(
    documents.length === 0
      ? 'expected a document, but the input is empty'
      : 'expected a single document in the stream, but found more',
  );
}

export function parseYaml(text: string, file: string): unknown {
  if (text.trim() === '') return {};
  // json (in loadYaml): a key given twice takes the last value, as PyYAML does (published
  // catalogs have some).
  try {
    return loadYaml(text, file);
  } catch (e) {
    if (e instanceof CmError) throw e;
    // PyYAML also accepts a flow list or map closed at column 0 ("new_env_keys: [" ... "]"), which
    // js-yaml calls deficient indentation (cm4mlops get-docker): indent such lines and retry.
    const reason = (e as { reason?: string }).reason ?? (e as Error).message.split('\n')[0];
    if (reason === 'deficient indentation' && /^[\]}]/m.test(text)) {
      try {
        return loadYaml(text.replace(/^([\]}])/gm, ' $1'), file);
      } catch (again) {
        if (again instanceof CmError) throw again;
        // else report the first error
      }
    }
    const mark = (e as { mark?: { line?: number; column?: number } }).mark;
    const line = mark?.line !== undefined ? mark.line + 1 : undefined;
    if (reason?.startsWith('nesting exceeded maxDepth')) throw tooDeep(file, line);
    throw new CmError('bad-meta', `${file}${line ? `:${line}` : ''}: malformed YAML: ${reason}`, {
      hint: 'fix the file by hand (or delete it), then run the command again',
      details: { file, line },
    });
  }
}

/** Read a JSON or YAML file that must hold a mapping. */
export function readDictFile(file: string): Dict {
  const text = readFileSync(file, 'utf8');
  const value = file.endsWith('.json') ? parseJson(text, file) : parseYaml(text, file);
  if (value === null || value === undefined) return {};
  if (!isDict(value)) {
    throw new CmError('bad-meta', `${file}: the top level must be a mapping of keys to values`, {
      hint: 'a meta file looks like "alias: my-artifact" on its own lines',
      details: { file },
    });
  }
  return value;
}

export function formatJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

export function formatYaml(value: unknown): string {
  return yaml().dump(value, { sortKeys: true, lineWidth: -1, noRefs: true });
}

/** Write a dict as sorted JSON (indent 2) or YAML by the file's extension, atomically. */
export function writeDictFile(file: string, value: Dict): void {
  writeFileAtomic(file, file.endsWith('.json') ? formatJson(value) : formatYaml(value));
}

/** `@file` on the command line: a .json or .yaml file merged into the input. */
export function readInputFile(path: string, cwd: string): Dict {
  const { resolve } = pathModule;
  const full = resolve(cwd, path);
  if (!full.endsWith('.json') && !full.endsWith('.yaml')) {
    throw new CmError('bad-input', `file extension must be .json or .yaml in ${path}`);
  }
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch {
    throw new CmError('file-not-found', `File ${path} not found`);
  }
  const value = full.endsWith('.json') ? parseJson(text, path) : parseYaml(text, path);
  if (!isDict(value))
    throw new CmError('bad-input', `${path}: must hold a mapping of keys to values`);
  return value;
}
