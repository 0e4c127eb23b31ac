// Typed events that library code emits instead of printing; the CLI reporter renders them.
import type { Dict } from './merge.js';
import type { SecretMask } from './secrets.js';

export type CmEvent =
  /** Data meant for stdout (paths found, a loaded meta): suppressed with --json/--out. */
  | { type: 'output'; text: string }
  /** A human message about progress or a result (stderr). */
  | { type: 'info'; text: string }
  /** Why a result is what it is (a search that found nothing), for the person who asked (stderr).
   *  Like output, dropped for actions called from other actions: their caller reads the data. */
  | { type: 'note'; text: string }
  | { type: 'warning'; text: string }
  /** Output of a child process CM runs (git ...), passed through. */
  | { type: 'process-output'; stream: 'stdout' | 'stderr'; text: string }
  /** How far a long task (a download, an extraction, deps run side by side) is: `done` of
   *  `total` units (bytes, entries, deps) at `rate` units/s; the CLI draws a bar on a TTY and
   *  nothing otherwise. */
  | {
      type: 'progress';
      id: string;
      label: string;
      done: number;
      total?: number | undefined;
      rate?: number;
      unit?: 'bytes' | 'files' | 'deps' | 'steps';
      finished?: boolean;
      /** A status line (what runs now): erased, not left on screen, when other output comes. */
      transient?: boolean;
    }
  /** What the script engine does, `depth` levels down the dep tree (the CLI indents it). */
  | { type: 'script'; depth: number; step: ScriptStep }
  /** Verbose diagnostics, namespaced (CM_DEBUG=db,repo). */
  | { type: 'debug'; namespace: string; text: string };

/** One step of a script run, as data: src/cli draws it, a library user may count or show it. */
export type ScriptStep =
  /** A script starts: `command` is the `cm run script "..."` line it answers. */
  | { kind: 'start'; command: string }
  /** A cache entry was found but not reused, and why (a sentence of cache/reasons.ts). */
  | { kind: 'cache-rejected'; path: string; reason: string; runsAgain: boolean }
  /** The result comes from a cache entry's state file. */
  | { kind: 'cache-hit'; file: string; note: string }
  /** The run waits for another cm run (a working folder or a cache key it holds). */
  | { kind: 'waiting'; text: string }
  /** The native script starts in `workDir` through the wrapper `wrapper`. */
  | { kind: 'native'; workDir: string; script: string; wrapper: string }
  /** --dry-run: what a dry_run hook says the script would run. */
  | { kind: 'would-run'; command: string }
  /** --save_env/--shell: the exported env was written to `file`. */
  | { kind: 'env-saved'; file: string }
  /** A dep was not run: its conditions (enable_if_env ...) said so, or they depend on run time. */
  | { kind: 'dep-skipped'; tags: string; reason: string };

export type EventSink = (event: CmEvent) => void;

/** A sink that drops everything: the default for library use. */
export const silentSink: EventSink = () => {};

/** The event with its text (and a progress label) passed through the mask of secrets. */
export function maskEvent(e: CmEvent, mask: SecretMask): CmEvent {
  switch (e.type) {
    case 'output':
    case 'info':
    case 'note':
    case 'warning':
    case 'process-output':
    case 'debug':
      return { ...e, text: mask.text(e.text) };
    case 'progress':
      return { ...e, label: mask.text(e.label) };
    case 'script': {
      const step: Dict = { ...e.step };
      for (const [k, v] of Object.entries(step)) if (typeof v === 'string') step[k] = mask.text(v);
      return { ...e, step: step as ScriptStep };
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}
