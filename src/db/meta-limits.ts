// The bounds of core/data-limits.ts applied to parsed meta files, with errors that name the file and
// line: YAML is checked on js-yaml's event stream (before any value exists), JSON on its value.
// YAML without aliases or reserved-looking words gets only the depth count.
import type { Event, ScalarEvent } from 'js-yaml';
import {
  findDataProblem,
  isReservedKey,
  mayHoldReservedKey,
  MAX_ALIASES,
  MAX_DEPTH,
  MAX_EXPANDED_VALUES,
  RESERVED_KEY_HINT,
  type DataProblem,
} from '../core/data-limits.js';
import { CmError } from '../core/errors.js';

type JsYaml = typeof import('js-yaml');

export function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const HINTS = {
  depth: 'CM metas are a few levels deep: flatten this data, or keep it in a file CM does not read',
  aliases:
    'write the values out instead of repeating aliases (CM refuses files whose aliases look like an alias bomb)',
  cycle: 'an alias can only stand for a node that is complete: move it out of its own anchor',
  key: RESERVED_KEY_HINT,
};

function badMeta(file: string, line: number | undefined, message: string, hint: string): CmError {
  return new CmError('bad-meta', `${file}${line ? `:${line}` : ''}: ${message}`, {
    hint,
    details: { file, line },
  });
}

/** The error for nesting deeper than MAX_DEPTH (also where js-yaml's parser stops at its bound). */
export function tooDeep(file: string, line: number | undefined): CmError {
  return badMeta(
    file,
    line,
    `nesting deeper than ${MAX_DEPTH} levels of lists and mappings`,
    HINTS.depth,
  );
}

function reservedKey(file: string, line: number | undefined, key: string): CmError {
  return badMeta(file, line, `the key "${key}" is not allowed in CM data`, HINTS.key);
}

interface Anchor {
  isOpen: boolean;
  /** Values in the anchored node once its aliases are expanded (itself included). */
  size: number;
  /** Levels of lists and mappings in it (0 for a scalar). */
  height: number;
  scalar: ScalarEvent | undefined;
}

interface Frame {
  isMapping: boolean;
  isKeyNext: boolean;
  size: number;
  /** Greatest height of its children. */
  height: number;
  anchor: Anchor | undefined;
}

/**
 * Refuses a YAML event stream whose aliases are too many, expand to too many values or too deep, or
 * refer to their own anchor (a cycle), and mapping keys that are reserved. Each expanded size is
 * worked out once per anchor, so a bomb costs no more than its text.
 */
export function checkYamlEvents(
  y: JsYaml,
  events: readonly Event[],
  text: string,
  file: string,
): void {
  const ID = y.EVENT_ID;
  // One cheap pass for the depth, which also tells whether there is any alias to follow.
  let depth = 0;
  let hasAliases = false;
  for (const event of events) {
    if (event.type === ID.SEQUENCE || event.type === ID.MAPPING) {
      if (++depth > MAX_DEPTH) throw tooDeep(file, lineOfOffset(text, event.start));
    } else if (event.type === ID.POP) depth--;
    else if (event.type === ID.ALIAS) hasAliases = true;
  }
  const hasKeyWords = mayHoldReservedKey(text);
  if (!hasAliases && !hasKeyWords) return;
  const fail = (at: number, message: string, hint: string): never => {
    throw badMeta(file, lineOfOffset(text, at), message, hint);
  };
  let anchors = new Map<string, Anchor>();
  const frames: Frame[] = [];
  let aliases = 0;
  let values = 0;
  /** A complete node (scalar, alias or closed collection) joins the open collection. */
  const add = (size: number, height: number, key: ScalarEvent | undefined, at: number): void => {
    const top = frames[frames.length - 1];
    if (!top) return;
    if (top.isMapping) {
      if (top.isKeyNext && key && hasKeyWords) {
        const k = y.getScalarValue(text, key);
        if (isReservedKey(k)) throw reservedKey(file, lineOfOffset(text, at), k);
      }
      top.isKeyNext = !top.isKeyNext;
    }
    top.size += size;
    if (height > top.height) top.height = height;
  };
  for (const event of events) {
    switch (event.type) {
      case ID.DOCUMENT:
        anchors = new Map();
        break;
      case ID.SEQUENCE:
      case ID.MAPPING: {
        if (++values > MAX_EXPANDED_VALUES) fail(event.start, tooManyValues(), HINTS.aliases);
        let anchor: Anchor | undefined;
        if (event.anchorStart >= 0) {
          anchor = { isOpen: true, size: 0, height: 0, scalar: undefined };
          anchors.set(text.slice(event.anchorStart, event.anchorEnd), anchor);
        }
        const isMapping = event.type === ID.MAPPING;
        frames.push({ isMapping, isKeyNext: isMapping, size: 1, height: 0, anchor });
        break;
      }
      case ID.SCALAR: {
        if (++values > MAX_EXPANDED_VALUES) fail(event.valueStart, tooManyValues(), HINTS.aliases);
        if (event.anchorStart >= 0) {
          const name = text.slice(event.anchorStart, event.anchorEnd);
          anchors.set(name, { isOpen: false, size: 1, height: 0, scalar: event });
        }
        add(1, 0, event, event.valueStart);
        break;
      }
      case ID.ALIAS: {
        const at = event.anchorStart - 1;
        const name = text.slice(event.anchorStart, event.anchorEnd);
        if (++aliases > MAX_ALIASES)
          fail(at, `more than ${MAX_ALIASES} YAML aliases`, HINTS.aliases);
        const anchor = anchors.get(name);
        if (!anchor) {
          add(1, 0, undefined, at); // js-yaml reports the unknown alias
          break;
        }
        if (anchor.isOpen) {
          fail(at, `alias *${name} stands for a node that contains it (a cycle)`, HINTS.cycle);
        }
        values += anchor.size;
        if (values > MAX_EXPANDED_VALUES) fail(at, tooManyValues(), HINTS.aliases);
        if (frames.length + anchor.height > MAX_DEPTH) {
          throw tooDeep(file, lineOfOffset(text, at));
        }
        add(anchor.size, anchor.height, anchor.scalar, at);
        break;
      }
      case ID.POP: {
        const frame = frames.pop();
        if (!frame) break; // the end of the document
        const height = frame.height + 1;
        if (frame.anchor) {
          frame.anchor.isOpen = false;
          frame.anchor.size = frame.size;
          frame.anchor.height = height;
        }
        add(frame.size, height, undefined, 0);
        break;
      }
      default: {
        const never: never = event;
        throw new Error(`unknown YAML event ${JSON.stringify(never)}`);
      }
    }
  }
}

function tooManyValues(): string {
  return `YAML aliases expand to more than ${MAX_EXPANDED_VALUES.toLocaleString('en-US')} values`;
}

/** Does `text` hold more than MAX_DEPTH brackets that open a list or mapping? (Rare: metas hold tens.) */
function mayBeTooDeep(text: string): boolean {
  let n = 0;
  for (const bracket of ['{', '[']) {
    for (let i = text.indexOf(bracket); i >= 0; i = text.indexOf(bracket, i + 1)) {
      if (++n > MAX_DEPTH) return true;
    }
  }
  return false;
}

/**
 * Refuses parsed JSON nested deeper than MAX_DEPTH or holding a reserved key. The value is walked
 * only when the text could be that deep or spell such a key.
 */
export function checkJsonValue(value: unknown, text: string, file: string): void {
  if (!mayBeTooDeep(text) && !mayHoldReservedKey(text)) return;
  const problem = findDataProblem(value);
  if (!problem) return;
  const at = locateInJson(text, problem);
  const line = at === undefined ? undefined : lineOfOffset(text, at);
  if (problem.kind === 'too-deep') throw tooDeep(file, line);
  throw reservedKey(file, line, problem.key);
}

/** Where in valid JSON text `problem` is: the bracket past MAX_DEPTH, or the reserved key. */
function locateInJson(text: string, problem: DataProblem): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH && problem.kind === 'too-deep') return i;
    } else if (c === 125 || c === 93) {
      depth--;
    } else if (c === 34) {
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) {
        if (text.charCodeAt(i) === 92) i++;
      }
      if (problem.kind === 'reserved-key' && /^\s*:/.test(text.slice(i + 1, i + 40))) {
        if (JSON.parse(text.slice(start, i + 1)) === problem.key) return start;
      }
    }
  }
  return undefined;
}
