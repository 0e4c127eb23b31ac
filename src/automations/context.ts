// What every action receives: the CM home, the index, the event sink and a way to call other
// actions. Created once at the edge (library API or CLI) and passed down; no singletons.
import type { EventSink } from '../core/events.js';
import type { Dict } from '../core/merge.js';
import type { SecretMask } from '../core/secrets.js';
import type { ArtifactIndex } from '../db/artifact-index.js';
import type { HomePaths } from '../db/home.js';
import type { HeldFolders } from './script/work-folder-lock.js';

/** Options of a call made from inside an action. */
export interface CallOptions {
  /** The working folder of that call (a hook's, where its downloads go), default the caller's. */
  cwd?: string;
  /**
   * The working folders a script run holds, when a hook of it makes the call: a nested script run
   * shares them (as a dep does) instead of waiting for its own caller to let them go.
   */
  heldFolders?: HeldFolders;
}

export interface CmContext {
  paths: HomePaths;
  index: ArtifactIndex;
  /** Where events go; their text is masked (URL passwords, values of secret keys). */
  emit: EventSink;
  /** The secrets met in this command: what `emit` and error messages mask. */
  secrets: SecretMask;
  /** Environment of the caller (never read from process.env below the edge). */
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  internalRepoPath: string;
  version: string;
  /** True when a person can answer questions (stdin is a TTY). */
  isInteractive: boolean;
  /** Ask a yes/no question; only called when isInteractive. */
  confirm(question: string): Promise<boolean>;
  /** Ask for a line of text (a choice among listed items); only called when isInteractive. */
  ask(question: string): Promise<string>;
  /** Call any action of any automation with a CM input dict (or argv); returns the CM result dict. */
  access(input: Dict | string[], options?: CallOptions): Promise<Dict>;
  /** Set on the context of a call a script run's hook made (CallOptions.heldFolders). */
  heldFolders?: HeldFolders;
}
