// The shape of an action and of a resolved automation.
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
}

export interface ActionSpec {
  summary: string;
  /** e.g. `cm add <automation> [repo:]NAME[,UID] [--tags=...]` */
  usage?: string;
  /** [flag, meaning] */
  flags?: ReadonlyArray<readonly [string, string]>;
  /** The action handles --help itself (e.g. help of the selected script). */
  handlesHelp?: boolean;
  run(input: Dict, ctx: CmContext, automation: AutomationHandle): Promise<Dict> | Dict;
}

export type ActionTable = Readonly<Record<string, ActionSpec>>;
