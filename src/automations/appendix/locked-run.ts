// One locked run as an Artifact Appendix uses it: its lockfile (read and checked: a bad one is
// named with the key at fault) and, where its run left one beside it, its cm-output.json.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isDict, type Dict } from '../../core/merge.js';
import { readLockfile, type Lockfile } from '../script/lockfile/lockfile.js';

export interface LockedRun {
  /** The lockfile as the appendix names it (as given, or relative to the experiment's folder); '' for a plan. */
  shown: string;
  lock: Lockfile;
  /** cm-output.json beside the lockfile, when it records the same run (same input tags). */
  output?: Dict;
  outputShown?: string;
}

/** cm-output.json beside `file`, when it records the run `lock` locks (`--repro` writes both). */
function outputBeside(file: string, lock: Lockfile): Dict | undefined {
  const path = join(dirname(file), 'cm-output.json');
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // Not this run's record (or a broken one): the appendix then says no output was recorded.
    return undefined;
  }
  if (!isDict(parsed) || !isDict(parsed['input'])) return undefined;
  const input = parsed['input'];
  const same = (k: string): boolean => JSON.stringify(input[k]) === JSON.stringify(lock.input[k]);
  return same('tags') && same('artifact') ? parsed : undefined;
}

/** Lockfile `file`, named `shown` in the appendix. */
export function readLockedRun(file: string, shown: string): LockedRun {
  const lock = readLockfile(file);
  const output = outputBeside(file, lock);
  return output
    ? { shown, lock, output, outputShown: join(dirname(shown), 'cm-output.json') }
    : { shown, lock };
}
