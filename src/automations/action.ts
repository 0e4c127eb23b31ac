// The shape of an action and of a resolved automation.
import type { FlagRow } from '../core/flags.js';
import type { Dict } from '../core/merge.js';
import type { ArtifactEntry } from '../db/artifact-entry.js';
import type { CmContext } from './context.js';

export interface AutomationHandle {
  alias: string;
  uid: string;
  /** Folder of the automation artifact; undefined for a wildcard cross-automation pseudo handle. */
  entry?: ArtifactEntry;
  meta: Dict;
  /** Wildcard pattern when the automation was given as `*`, `data*` ... */
  pattern?: string;
  /** Its actions (generic and own), once the registry has looked them up for this call. */
  actions?: ActionTable;
}

export interface ActionSpec {
  summary: string;
  /** e.g. `cm add <automation> [repo:]NAME[,UID] [--tags=...]` */
  usage?: string;
  /**
   * Every flag the action reads, as its --help lists them (the shown form names the input keys,
   * see FlagRow). A flag typed on a command line that is neither here nor global is refused
   * before the action starts. Undefined: the action takes any flag (print_input, a user's
   * module.js that declares none).
   */
  flags?: readonly FlagRow[];
  /**
   * The action reports undeclared flags itself instead of being refused (run script: flags may be
   * any script's input, so it warns once the run's scripts are known).
   */
  reportsUnknownFlags?: boolean;
  /** The action handles --help itself (e.g. help of the selected script). */
  handlesHelp?: boolean;
  /**
   * `typedFlags`: the keys the user typed as flags on a command line (top-level calls only);
   * undefined for library calls with a dict and for calls between actions.
   */
  run(
    input: Dict,
    ctx: CmContext,
    automation: AutomationHandle,
    typedFlags?: readonly string[],
  ): Promise<Dict> | Dict;
}

export type ActionTable = Readonly<Record<string, ActionSpec>>;
