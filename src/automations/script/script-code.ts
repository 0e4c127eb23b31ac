// The code of a script folder as the --parallel walk sees it: native scripts, hooks and the code
// beside them (their text, where a key must be named to be read), and what that code may do.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { listing } from '../../db/dir-listing.js';

/** What the walk reads from a script folder. */
export interface ScriptCode {
  /** customize.py/.js/.mjs. */
  hookText: string;
  /** Native scripts, hooks and the code beside them (what a key must be named in to be read). */
  texts: string[];
  hooks: boolean;
  /** Something runs in the working folder (as the engine's mayRunInFolder). */
  runs: boolean;
  /** run-<os>.sh variants: the host keys choose among them. */
  osSpecificNative: boolean;
  /** A hook calls other actions (cmind.access ...): the scripts they run are not followed. */
  callsScripts: boolean;
  /** Too much code to read, or a file that cannot be read: not known. */
  unreadable: boolean;
}

const CODE = /\.(sh|bat|cmd|ps1|py|js|mjs)$/;
const HOOKS = ['customize.py', 'customize.js', 'customize.mjs'];
const MAX_FILE = 512 * 1024;
const MAX_FILES = 200;
const CALLS_SCRIPTS = /\baccess\s*\(/;

/** Read the code of a script folder once per `memo` (and its subfolders, two levels down). */
export function scriptCode(dir: string, memo: Map<string, ScriptCode>): ScriptCode {
  const known = memo.get(dir);
  if (known) return known;
  const names = listing(dir);
  const hookNames = HOOKS.filter((h) => names.has(h));
  const files: ScriptCode = {
    hookText: '',
    texts: [],
    hooks: hookNames.length > 0,
    runs: [...names].some((n) => /\.(sh|bat|js|mjs|py)$/.test(n)),
    osSpecificNative: [...names].some((n) => /-.+\.(sh|bat)$/.test(n)),
    callsScripts: false,
    unreadable: false,
  };
  const hookTexts: string[] = [];
  const visit = (folder: string, entries: Iterable<string>, level: number): void => {
    for (const n of entries) {
      if (n.startsWith('.') || n === 'node_modules' || n === '__pycache__') continue;
      const p = join(folder, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue; // a dangling link: nothing runs it
      }
      if (st.isDirectory()) {
        if (level < 2) visit(p, listing(p), level + 1);
        continue;
      }
      if (!CODE.test(n)) continue;
      if (st.size > MAX_FILE || files.texts.length >= MAX_FILES) {
        files.unreadable = true;
        return;
      }
      try {
        const text = readFileSync(p, 'utf8');
        files.texts.push(text);
        if (level === 0 && hookNames.includes(n)) hookTexts.push(text);
      } catch {
        files.unreadable = true;
      }
    }
  };
  visit(dir, names, 0);
  files.hookText = hookTexts.join('\n');
  files.callsScripts = CALLS_SCRIPTS.test(files.hookText);
  memo.set(dir, files);
  return files;
}
