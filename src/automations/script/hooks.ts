// Script hooks (`customize.js`: preprocess, postprocess, detect_version, predeps, dry_run). A hook module is
// found by file name; each language is a HookLoader, so a second one (Python) plugs in beside JS.
import { readFileSync, statSync } from 'node:fs';
import { fileIn } from '../../db/dir-listing.js';
import { pythonLoader } from './python-hooks.js';
import type { HookLoader, HookModule, HookRun, HookWorkers } from './hook-types.js';
import { pathToFileURL } from 'node:url';
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';
import { importModule } from '../import-module.js';
import { inFolder } from './hook-cwd.js';

const jsLoader: HookLoader = {
  language: 'javascript',
  files: ['customize.js', 'customize.mjs'],
  async load(file, run) {
    const st = statSync(file);
    let mod: Record<string, unknown>;
    try {
      // mtime and size in the URL: an edited hook is re-imported by a long-lived process.
      mod = (await importModule(
        `${pathToFileURL(file).href}?v=${st.mtimeMs}-${st.size}`,
      )) as Record<string, unknown>;
    } catch (e) {
      const where = e instanceof SyntaxError ? await syntaxErrorAt(file) : '';
      throw new CmError(
        'hook-failed',
        `${file}: cannot load the hook module: ${e instanceof Error ? e.message : String(e)}`,
        {
          hint: where
            ? `fix the syntax error:\n${where}`
            : 'customize.js must be an ES module exporting preprocess/postprocess/detect_version functions',
          cause: e,
        },
      );
    }
    return {
      language: 'javascript',
      file,
      has: (name) => typeof mod[name] === 'function',
      async call(name, i) {
        const fn = mod[name] as (i: Dict) => unknown;
        let r: unknown;
        try {
          // In the hook's working folder; hooks called at once take turns (hook-cwd.ts).
          r = await inFolder(run().cwd(), async () => fn(i));
        } catch (e) {
          if (e instanceof CmError) throw e;
          const err = e instanceof Error ? e : undefined;
          const at = err?.stack
            ?.split('\n')
            .find((l) => l.includes(pathToFileURL(file).href))
            ?.match(/:(\d+):(\d+)\)?$/);
          throw new CmError(
            'hook-failed',
            `${file}${at ? `:${at[1]}:${at[2]}` : ''}: ${name}() threw: ${err ? err.message : String(e)}`,
            {
              hint: `the error is in the script's hook ${name}(); -j shows the whole stack (details.stack)`,
              details: { stack: err?.stack, hook: name, file },
              cause: e,
            },
          );
        }
        if (r === undefined || r === null) return { return: 0 };
        if (!isDict(r))
          throw new CmError(
            'hook-failed',
            `${file}: ${name}() must return an object like {return: 0}`,
          );
        return r;
      },
    };
  },
};

/** `file:line` and the offending line of a syntax error, from `node --check` (error path only). */
async function syntaxErrorAt(file: string): Promise<string> {
  try {
    const { spawnSync } = (await importModule(
      'node:child_process',
    )) as typeof import('node:child_process');
    // As an ES module whatever its extension (a .js file alone would be checked as CommonJS).
    const r = spawnSync(process.execPath, ['--input-type=module', '--check'], {
      input: readFileSync(file),
      encoding: 'utf8',
    });
    return (r.stderr ?? '')
      .split('\n')
      .slice(0, 4)
      .join('\n')
      .replace(/^\[stdin\]/, file)
      .trim();
  } catch {
    return '';
  }
}

const loaders: HookLoader[] = [jsLoader, pythonLoader];

/** The hook module of a script folder, or undefined when it has none. */
export async function loadHooks(
  scriptDir: string,
  run: () => HookRun,
): Promise<HookModule | undefined> {
  for (const loader of loaders) {
    for (const f of loader.files) {
      const file = fileIn(scriptDir, f);
      if (file) return loader.load(file, run);
    }
  }
  return undefined;
}

/** At the end of a top-level run: its hook workers end (a later run starts its own). */
export function stopHookWorkers(workers: HookWorkers): void {
  for (const w of workers.values()) w.stop();
  workers.clear();
}
