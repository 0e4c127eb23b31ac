// What a playground server is made of (its store, access, features) and what its routes see of a
// request: the types that app.ts and every route share.
import type { Hono } from 'hono';
import type { Cm } from '../index.js';
import type { Authenticator, Scope } from './auth.js';
import type { ResultStore, Viewer } from './store/result-store.js';

export interface AppOptions {
  store: ResultStore;
  auth: Authenticator;
  version: string;
  /** Replay buttons and POST /api/replay (`--allow-exec`). */
  allowExec: boolean;
  /** GET /api/events pushes result changes (`--watch`). */
  watch: boolean;
  /** Folder of the built front end (dist/gui); absent: API only. */
  guiDir?: string;
  /** The CM instance of the local repos: the script and cache catalog, replays. */
  cm?: Cm;
  /** bin/cm.js, run as a child process for replays. */
  cmBin?: string;
  /** More routes (the team server's push API, the script catalog ...), mounted after the core. */
  extensions?: Array<(app: Hono<AppEnv>, options: AppOptions) => void>;
}

export interface AppEnv {
  Variables: { scope: Scope; viewer: Viewer };
}
