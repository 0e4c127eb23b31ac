// `cm gui` (alias `cmg`): the results playground over the local repos, in the browser (gui.md
// §5.1). CM's `_graph` inputs (--exp_tags, --exp_key_x ...) become the first page's URL.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../core/errors.js';
import type { Cm } from '../index.js';
import { createApp } from './app.js';
import { packageRoot } from './package-root.js';
import { OPEN_ACCESS, singleToken } from './auth.js';
import { standardRoutes } from './routes/standard.js';
import { startServer, type RunningServer } from './start.js';
import { LocalStore } from './store/local/local-store.js';

type Dict = Record<string, unknown>;

export const GUI_HELP = `cm gui — the results playground in the browser (alias: cmg)

usage: cm gui [--port=8501] [--host=127.0.0.1] [--watch] [--allow-exec] [--token=T]
              [--exp_tags=a,b] [--exp_name=NAME] [--exp_uid=RESULT_UID] [--exp_title=T]
              [--exp_key_x=K] [--exp_key_y=K] [--exp_key_c=K] [--exp_key_s=K]
              [--repos=a,b] [--no_browser]

  --port=N          port (default 8501; 0 picks a free one)
  --host=ADDR       address to bind (default 127.0.0.1); another needs --token
  --watch           push new results to open pages while a sweep runs
  --allow-exec      allow "Replay now" (runs cm replay experiment on this machine)
  --token=T         require "Authorization: Bearer T" (open the page with ?token=T)
  --repos=a,b       only the experiments of these repos
  --exp_*           CM's _graph inputs: the first page shown (tags, name, axes, title)
  --no_browser      accepted for CM's scripts (cm gui opens no browser: open the URL it prints)`;

function str(input: Dict, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = input[k];
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

/** The first page: /explore with CM's _graph inputs, or / when none is given. */
export function firstPage(input: Dict): string {
  const p = new URLSearchParams();
  const map: Array<[string, string]> = [
    ['exp_tags', 'tags'],
    ['exp_name', 'name'],
    ['exp_uid', 'result_uid'],
    ['exp_title', 'title'],
    ['exp_key_x', 'x'],
    ['exp_key_y', 'y'],
    ['exp_key_c', 'c'],
    ['exp_key_s', 's'],
  ];
  for (const [flag, param] of map) {
    const v = str(input, flag);
    if (v !== undefined) p.set(param, v.replace(/\s+/g, ','));
  }
  if ([...p.keys()].length === 0) return '/';
  if (p.has('result_uid')) return `/?action=experiments&${p}`;
  return `/explore?${p}`;
}

export function portOf(input: Dict, fallback: number): number {
  const raw = str(input, 'port');
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new CmError('bad-input', `--port=${raw}: not a port number`, { hint: 'use 0..65535' });
  return n;
}

/** Starts the playground; resolves with the running server (the CLI waits for a signal). */
export async function startGui(
  cm: Cm,
  input: Dict,
): Promise<{ server: RunningServer; page: string }> {
  const token = str(input, 'token') ?? cm.context.env['CM_GUI_TOKEN'];
  const repos = str(input, 'repos')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const root = packageRoot();
  const guiDir = join(root, 'dist', 'gui');
  if (!existsSync(join(guiDir, 'index.html')))
    throw new CmError('file-not-found', `the playground's page is not built (${guiDir})`, {
      hint: 'run "npm run build" in the package folder',
    });
  const store = new LocalStore(cm, repos ? { repos } : {});
  const app = createApp({
    store,
    auth: token ? singleToken(token) : OPEN_ACCESS,
    version: cm.context.version,
    allowExec: input['allow_exec'] === true || input['allow-exec'] === true,
    watch: input['watch'] === true,
    guiDir,
    cm,
    cmBin: join(root, 'bin', 'cm.js'),
    extensions: [standardRoutes],
  });
  const server = await startServer(app, {
    host: str(input, 'host', 'address') ?? '127.0.0.1',
    port: portOf(input, 8501),
    tokensConfigured: token !== undefined,
  });
  return { server, page: firstPage(input) };
}
