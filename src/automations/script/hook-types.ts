// The shapes shared by the hook loaders (JavaScript in hooks.ts, Python in python-hooks.ts), in
// a file of their own so that neither imports the other's types.
import type { EventSink } from '../../core/events.js';
import type { Dict } from '../../core/merge.js';

/** What the Python worker needs from a run: where its code is, the interpreter, env and events. */
export interface WorkerOptions {
  pythonDir: string;
  /** The interpreter (resolved on the first hook). */
  python: () => Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
  emit: EventSink;
}

// dry_run (ours, JS only): under --dry-run, says what the script would run ({commands: [...]});
// it must change nothing.
export const HOOK_NAMES = [
  'predeps',
  'preprocess',
  'postprocess',
  'detect_version',
  'dry_run',
] as const;
export type HookName = (typeof HOOK_NAMES)[number];

/** A loaded hook module of one script. */
export interface HookModule {
  language: string;
  file: string;
  has(name: HookName): boolean;
  /** Call a hook; resolves with its result dict ({return: 0, ...}). */
  call(name: HookName, i: Dict): Promise<Dict>;
}

/** A long-lived helper process of a hook loader (the Python worker). */
export interface HookWorker {
  /** The run is over: let it end (a later call would start a new one). */
  stop(): void;
}

/** The hook workers of one top-level run (RunShared.hookWorkers), by language, made on first use. */
export type HookWorkers = Map<string, HookWorker>;

/** What a run gives hook loaders: its env and events, where hooks run, limits, the interpreter. */
export interface HookRun extends WorkerOptions {
  /** Where the loaders keep their workers for this run (not shared with another run). */
  workers: HookWorkers;
  timeoutMs?: number;
  cwd: () => string;
  /** Folders hooks import from besides their own (an MLC repo's automation/ with its utils.py). */
  importPaths?: string[];
}

export interface HookLoader {
  language: string;
  /** File names it handles, in preference order. */
  files: readonly string[];
  load(file: string, run: () => HookRun): Promise<HookModule>;
}
