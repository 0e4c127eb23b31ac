// User automations: a `module.js` (ESM) in the automation's folder whose exported functions are
// actions `(input, cm) => result`, with `cm.access(...)` to call any other action.
import { statSync } from 'node:fs';
import { splitCommandLine } from '../core/argv.js';
import { CmError } from '../core/errors.js';
import { isDict, type Dict } from '../core/merge.js';
import type { FlagRow } from '../core/flags.js';
import type { ActionSpec, ActionTable } from './action.js';
import type { CallOptions, CmContext } from './context.js';
import type { HeldFolders } from './script/work-folder-lock.js';
import { importModule } from './import-module.js';

/** The object a user's action gets as its second argument. */
export interface UserCm {
  access(input: Dict | string | string[]): Promise<Dict>;
  /** Print data for the user (stdout). */
  output(text: string): void;
  /** Print a message (stderr). */
  log(text: string): void;
  /** As the Python API's `cmind.logger`: messages at a level (stderr; debug only with -v). */
  logger: Record<'debug' | 'info' | 'warning' | 'error', (text: string) => void>;
  version: string;
}

/** `cwd`: where the calls run (a script hook's working folder), default the context's. */
export function userCm(ctx: CmContext, cwd?: () => string, heldFolders?: HeldFolders): UserCm {
  const opts = (): CallOptions => ({
    ...(cwd ? { cwd: cwd() } : {}),
    ...(heldFolders ? { heldFolders } : {}),
  });
  return {
    access: async (input) => {
      // A string is a command line ('find automation --tags=x'), an array its argv.
      if (typeof input !== 'string') return ctx.access(input, opts());
      let argv: string[];
      try {
        argv = splitCommandLine(input);
      } catch (e) {
        if (!(e instanceof CmError)) throw e;
        return { return: e.returnCode, error: e.message, code: e.code };
      }
      return ctx.access(argv, opts());
    },
    output: (text) => ctx.emit({ type: 'output', text }),
    log: (text) => ctx.emit({ type: 'info', text }),
    logger: {
      debug: (text) => ctx.emit({ type: 'debug', namespace: 'hook', text }),
      info: (text) => ctx.emit({ type: 'info', text }),
      warning: (text) => ctx.emit({ type: 'warning', text }),
      error: (text) => ctx.emit({ type: 'warning', text }),
    },
    version: ctx.version,
  };
}

/**
 * `fn.flags = [['--name=N', 'who to greet'], ...]`: the flags an action takes (its --help lists
 * them and any other typed flag is refused). Without it the action takes any flag.
 */
function declaredFlags(fn: unknown, name: string, path: string): FlagRow[] | undefined {
  const flags = (fn as { flags?: unknown }).flags;
  if (flags === undefined) return undefined;
  const isRow = (r: unknown): r is FlagRow =>
    Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'string');
  if (Array.isArray(flags) && flags.every(isRow)) return flags;
  throw new CmError(
    'automation-module-failed',
    `${path}: ${name}.flags must be a list of [flag, meaning] pairs`,
    { hint: `e.g. ${name}.flags = [['--name=N', 'who to greet'], ['-f, --force', 'do not ask']]` },
  );
}

export async function moduleActions(url: string, path: string): Promise<ActionTable> {
  let mod: Record<string, unknown>;
  try {
    // A long-lived process (library API) sees edits of module.js, as the reference re-imports
    // module.py on every call: the file's mtime and size make a new module URL.
    const st = statSync(path, { throwIfNoEntry: false });
    const version = st ? `?v=${st.mtimeMs}-${st.size}` : '';
    mod = (await importModule(url + version)) as Record<string, unknown>;
  } catch (e) {
    throw new CmError(
      'automation-module-failed',
      `${path}: cannot load the automation module: ${(e as Error).message}`,
      {
        hint: 'it must be an ES module exporting functions, e.g. export async function test(input, cm) { ... }',
        cause: e,
      },
    );
  }
  const table: Record<string, ActionSpec> = {};
  for (const [name, fn] of Object.entries(mod)) {
    if (typeof fn !== 'function') continue;
    const doc = (fn as { summary?: unknown }).summary;
    table[name] = {
      summary: typeof doc === 'string' ? doc : `action "${name}" of ${path}`,
      flags: declaredFlags(fn, name, path),
      async run(input, ctx) {
        let result: unknown;
        try {
          result = await (fn as (i: Dict, cm: UserCm) => unknown)(input, userCm(ctx));
        } catch (e) {
          if (e instanceof CmError) throw e;
          throw new CmError(
            'automation-module-failed',
            `${path}: action "${name}" threw: ${(e as Error).message}`,
            { cause: e },
          );
        }
        if (result === undefined || result === null) return {};
        if (!isDict(result)) {
          throw new CmError(
            'automation-module-failed',
            `${path}: action "${name}" must return an object like {return: 0}`,
          );
        }
        const rc = result['return'];
        if (typeof rc === 'number' && rc > 0) {
          throw new CmError(
            'automation-module-failed',
            String(result['error'] ?? `action "${name}" failed`),
            {
              returnCode: rc,
              details: result,
            },
          );
        }
        return result;
      },
    };
  }
  return table;
}
