// Renders events and results for a terminal: data on stdout, messages on stderr, JSON on request.
import type { CmEvent } from '../core/events.js';
import type { Dict } from '../core/merge.js';
import { sortKeys } from '../core/merge.js';
import { progressLine } from './progress.js';
import { scriptStepLines } from './script-lines.js';

export interface ReporterOptions {
  /** Print the whole result as JSON on stdout instead of the data lines. */
  json: boolean;
  /** Print nothing at all (--out=none and other non-console --out values). */
  silent: boolean;
  /** Drop info messages (-s/--silent/--quiet output). */
  quiet: boolean;
  /** CM_DEBUG namespaces ("db,repo" or "*"). */
  debug: readonly string[];
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** The columns of stderr when it is a terminal (progress bars are drawn), else undefined. */
  ttyColumns?: () => number | undefined;
}

/**
 * The result as sorted JSON. Like the reference's dump_safe_json, a top-level key whose value
 * cannot be written as JSON (a BigInt, a cycle in a user module's result) is left out rather than
 * crashing the command after the action has run.
 */
export function safeJson(r: Dict): string {
  try {
    return JSON.stringify(sortKeys(r), null, 2);
  } catch {
    const kept: Dict = {};
    for (const [k, v] of Object.entries(r)) {
      try {
        JSON.stringify(sortKeys(v));
        kept[k] = v;
      } catch {
        // dropped
      }
    }
    return JSON.stringify(sortKeys(kept), null, 2);
  }
}

export function createReporter(o: ReporterOptions) {
  let columns: number | undefined | null = null;
  /** A bar is on screen: the next message first ends its line (a transient one is erased). */
  let barShown = false;
  let barTransient = false;
  const endBar = (): void => {
    if (barShown) o.stderr(barTransient ? `\r${' '.repeat((columns ?? 1) - 1)}\r` : '\n');
    barShown = false;
  };
  const onEvent = (e: CmEvent): void => {
    if (o.silent) return;
    if (e.type === 'progress') {
      if (columns === null) columns = o.ttyColumns?.();
      if (o.quiet || columns === undefined) return;
      o.stderr(`\r${progressLine(e, columns - 1).padEnd(columns - 1)}`);
      barShown = true;
      barTransient = e.transient === true;
      if (e.finished) endBar();
      return;
    }
    if (e.type !== 'debug' || o.debug.includes('*') || o.debug.includes(e.namespace)) endBar();
    switch (e.type) {
      case 'output':
        if (o.json) return;
        // Apart: text + '\n' is a copy of the text (cm ls prints 600 KB of paths).
        o.stdout(e.text);
        o.stdout('\n');
        return;
      case 'info':
      case 'note':
        if (!o.quiet) o.stderr(e.text + '\n');
        return;
      case 'script':
        if (!o.quiet)
          for (const line of scriptStepLines(e.depth, e.step, o.debug.includes('script')))
            o.stderr(line + '\n');
        return;
      case 'warning':
        o.stderr(`WARNING: ${e.text}\n`);
        return;
      case 'process-output':
        (e.stream === 'stdout' && !o.json ? o.stdout : o.stderr)(e.text);
        return;
      case 'debug':
        if (o.debug.includes('*') || o.debug.includes(e.namespace))
          o.stderr(`[${e.namespace}] ${e.text}\n`);
        return;
      default: {
        const never: never = e;
        throw new Error(`unknown event ${JSON.stringify(never)}`);
      }
    }
  };
  const onResult = (r: Dict): void => {
    if (o.silent) return;
    endBar();
    if (o.json) o.stdout(safeJson(r) + '\n');
    const rc = typeof r['return'] === 'number' ? r['return'] : 0;
    if (rc > 0) {
      o.stderr(`CM error: ${String(r['error'])}\n`);
      if (typeof r['hint'] === 'string')
        o.stderr(`  hint: ${r['hint'].split('\n').join('\n  ')}\n`);
      if (typeof r['stack'] === 'string' && o.debug.length > 0) o.stderr(`${r['stack']}\n`);
    }
  };
  return { onEvent, onResult };
}
