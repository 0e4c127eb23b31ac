// `cm serve --db=postgres://...`: the team server (results in PostgreSQL, the push API, tokens from
// the database) until SIGINT/SIGTERM; and `cm serve token add|list|rm`. Loaded only for `cm serve`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CmError } from '../core/errors.js';
import { createApp } from '../server/app.js';
import { isLoopback, startServer } from '../server/start.js';
import { packageRoot, packageVersion } from '../server/package-root.js';
import { listenForStop } from '../server/stop-signal.js';
import { pushRoutes } from '../server/routes/push.js';
import { standardRoutes } from '../server/routes/standard.js';
import { connectionError, describeDatabase } from '../server/store/postgres/database.js';
import { migrate } from '../server/store/postgres/migrations.js';
import { PostgresStore } from '../server/store/postgres/postgres-store.js';
import {
  addToken,
  DatabaseTokens,
  isScope,
  listTokens,
  removeToken,
} from '../server/store/postgres/tokens.js';
import { reportCommandError } from './command-error.js';

export interface ServeIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the server should stop (default: the first SIGINT or SIGTERM). */
  stopSignal?: Promise<void>;
}

export const SERVE_HELP = `cm serve --db=postgres://USER@HOST:PORT/DB [--host=127.0.0.1] [--port=8502] [--watch]
  The team results server: the playground's API and GUI over PostgreSQL, and the push API that
  "cm push experiment NAME --server=URL" uses. Applies the schema migrations, then serves until
  Ctrl-C. Requests need a token as soon as one exists (and always on a non-loopback --host).
  --db=URL       the PostgreSQL database (or CM_SERVE_DB)
  --host=H       the address to listen on (127.0.0.1; another one needs tokens)
  --port=N       the port (8502; 0 picks a free one)
  --watch        push result changes to open pages (GET /api/events)

cm serve token add --scope=read|write --db=URL [--note=TEXT]
  prints a new token on stdout (only its SHA-256 is stored: keep it, it is shown once)
cm serve token list --db=URL [--json]
cm serve token rm ID --db=URL
  ID: the id that "token list" shows (or the token itself)`;

const OPTIONS = {
  db: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  watch: { type: 'boolean' },
  scope: { type: 'string' },
  note: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseFlags>['values'];

function parseFlags(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CmError('unknown-flag', `cm serve: ${(e as Error).message}`, {
      hint: 'see cm serve --help',
    });
  }
}

function databaseUrl(flags: Flags, io: ServeIo): string {
  const db = flags.db ?? io.env['CM_SERVE_DB'];
  if (db === undefined || db === '')
    throw new CmError(
      'bad-input',
      'cm serve needs the database: --db=postgres://USER@HOST:PORT/DB',
      {
        hint: 'create one with: createdb cm (then --db=postgres://$USER@127.0.0.1:5432/cm)',
      },
    );
  return db;
}

/** A store whose schema is current; a database that cannot be reached is a clear error. */
async function openStore(db: string): Promise<{ store: PostgresStore; applied: number[] }> {
  const store = new PostgresStore(db);
  try {
    const { applied } = await migrate(store.pool);
    return { store, applied };
  } catch (e) {
    await store.close();
    throw connectionError(e, db);
  }
}

async function tokenCommand(args: string[], flags: Flags, io: ServeIo): Promise<void> {
  const [sub, id] = args;
  if (sub !== 'add' && sub !== 'list' && sub !== 'rm')
    throw new CmError('bad-input', `cm serve token: unknown command "${sub ?? ''}"`, {
      hint: 'cm serve token add|list|rm --db=URL (see cm serve --help)',
    });
  if (sub === 'add' && !isScope(flags.scope))
    throw new CmError('bad-input', 'cm serve token add needs --scope=read or --scope=write', {
      hint: 'read: see results and query them; write: also push results',
    });
  if (sub === 'rm' && (id === undefined || id === ''))
    throw new CmError('bad-input', 'cm serve token rm needs the id of the token', {
      hint: 'the ids are in: cm serve token list --db=URL',
    });
  const { store } = await openStore(databaseUrl(flags, io));
  try {
    if (sub === 'add' && isScope(flags.scope)) {
      const token = await addToken(store.pool, flags.scope, flags.note ?? '');
      io.stdout(`${token}\n`);
      io.stderr(`Added a ${flags.scope} token: it is shown only now, keep it.\n`);
    } else if (sub === 'list') {
      const tokens = await listTokens(store.pool);
      if (flags.json) io.stdout(`${JSON.stringify(tokens, null, 2)}\n`);
      else if (tokens.length === 0) io.stderr('No tokens: the server needs none on loopback.\n');
      else
        for (const t of tokens)
          io.stdout(`${t.id}  ${t.scope.padEnd(5)}  ${t.created}  ${t.note}`.trimEnd() + '\n');
    } else if (sub === 'rm' && id !== undefined) {
      const t = await removeToken(store.pool, id);
      io.stderr(`Removed the ${t.scope} token ${t.id}.\n`);
    }
  } finally {
    await store.close();
  }
}

function portOf(text: string | undefined): number {
  if (text === undefined) return 8502;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new CmError('bad-input', `--port must be a number from 0 to 65535 (found "${text}")`);
  return port;
}

async function serve(flags: Flags, io: ServeIo): Promise<void> {
  const host = flags.host ?? '127.0.0.1';
  const port = portOf(flags.port);
  const db = databaseUrl(flags, io);
  const { store, applied } = await openStore(db);
  const auth = new DatabaseTokens(store.pool, { alwaysRequired: !isLoopback(host) });
  try {
    await auth.refresh();
    const root = packageRoot();
    const guiDir = join(root, 'dist', 'gui');
    const app = createApp({
      store,
      auth,
      version: packageVersion(root),
      allowExec: false,
      watch: flags.watch === true,
      ...(existsSync(join(guiDir, 'index.html')) ? { guiDir } : {}),
      // The playground's own API first (the GUI works the same over PostgreSQL), then push/pull.
      extensions: [standardRoutes, pushRoutes(store)],
    });
    const server = await startServer(app, { host, port, tokensConfigured: auth.count > 0 });
    auth.start();
    const schema =
      applied.length > 0 ? `schema migrated to v${Math.max(...applied)}` : 'schema current';
    const tokens = auth.required ? `${auth.count} tokens, required` : 'no tokens, loopback only';
    // Listening before the URL is printed: a client may signal as soon as it reads it.
    const stopped = io.stopSignal ?? listenForStop();
    io.stderr(`CM team server: ${server.url} (${describeDatabase(db)}; ${schema}; ${tokens})\n`);
    await stopped;
    auth.stop();
    await server.close();
  } finally {
    auth.stop();
    await store.close();
  }
}

/** Runs `cm serve ARGS`; returns the exit status. */
export async function serveCommand(argv: readonly string[], io: ServeIo): Promise<number> {
  try {
    const { values, positionals } = parseFlags(argv);
    if (values.help) {
      io.stdout(`${SERVE_HELP}\n`);
      return 0;
    }
    if (positionals[0] === 'token') await tokenCommand(positionals.slice(1), values, io);
    else if (positionals.length > 0)
      throw new CmError('bad-input', `cm serve: unexpected "${positionals.join(' ')}"`, {
        hint: 'cm serve --db=URL, or cm serve token add|list|rm (see cm serve --help)',
      });
    else await serve(values, io);
    return 0;
  } catch (e) {
    return reportCommandError(e, io);
  }
}
