// Where each key and list item of a meta file's text is (line and column), and which mapping keys
// are written twice. Read from js-yaml's event stream, which also parses JSON. Values come from
// meta-file.ts; this module only locates them.
import type { Event } from 'js-yaml';
import { MAX_DEPTH } from '../core/data-limits.js';
import { yaml } from './meta-file.js';

export interface Position {
  line: number;
  col: number;
}

export interface DuplicateKey extends Position {
  path: ReadonlyArray<string | number>;
}

export interface MetaLocations {
  /** The position of the key (or list item) at `path`, else of its nearest located ancestor. */
  at(path: ReadonlyArray<string | number>): Position;
  duplicates: DuplicateKey[];
}

interface Frame {
  isMapping: boolean;
  path: Array<string | number>;
  /** Items seen in a list; in a mapping, whether the next node is a key. */
  index: number;
  isKeyNext: boolean;
  key: string | undefined;
  seen: Set<string>;
}

const SEP = '\u0000';

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positionOf(starts: number[], offset: number): Position {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

function startOf(e: Event): number {
  switch (e.type) {
    case 1:
    case 6:
      return -1;
    case 2:
    case 3:
      return e.start;
    case 4:
      // A quoted scalar's value starts after its quote.
      return e.style === 2 || e.style === 3 ? e.valueStart - 1 : e.valueStart;
    case 5:
      return e.anchorStart - 1;
    default: {
      const never: never = e;
      throw new Error(`unknown YAML event ${JSON.stringify(never)}`);
    }
  }
}

/** Locations in `text`, or undefined when js-yaml cannot parse it (the caller reports why). */
export function locateMeta(text: string): MetaLocations | undefined {
  const y = yaml();
  let events: Event[];
  try {
    events = y.parseEvents(text, { maxDepth: MAX_DEPTH });
  } catch (e) {
    if (e instanceof y.YAMLException) return undefined;
    throw e;
  }
  const starts = lineStarts(text);
  const offsets = new Map<string, number>();
  const duplicates: DuplicateKey[] = [];
  const frames: Frame[] = [];
  /** A node starts: as a key, record where; as a value or item, where its path begins. */
  const node = (e: Event): Array<string | number> | undefined => {
    const top = frames[frames.length - 1];
    if (!top) return [];
    if (top.isMapping) {
      if (top.isKeyNext) {
        top.isKeyNext = false;
        const key = e.type === 4 ? y.getScalarValue(text, e) : undefined;
        top.key = key;
        if (key === undefined) return undefined;
        const path = [...top.path, key];
        const at = startOf(e);
        if (top.seen.has(key) && key !== '<<') {
          duplicates.push({ path, ...positionOf(starts, at) });
        } else {
          top.seen.add(key);
          offsets.set(path.join(SEP), at);
        }
        return undefined;
      }
      top.isKeyNext = true;
      return top.key === undefined ? undefined : [...top.path, top.key];
    }
    const path = [...top.path, top.index++];
    offsets.set(path.join(SEP), startOf(e));
    return path;
  };
  for (const e of events) {
    if (e.type === 1) continue;
    if (e.type === 6) {
      frames.pop();
      continue;
    }
    const path = node(e);
    if (e.type === 2 || e.type === 3) {
      frames.push({
        isMapping: e.type === 3,
        path: path ?? ['\u0001'],
        index: 0,
        isKeyNext: true,
        key: undefined,
        seen: new Set(),
      });
    }
  }
  return {
    duplicates,
    at(path) {
      for (let n = path.length; n > 0; n--) {
        const o = offsets.get(path.slice(0, n).join(SEP));
        if (o !== undefined && o >= 0) return positionOf(starts, o);
      }
      return { line: 1, col: 1 };
    },
  };
}
