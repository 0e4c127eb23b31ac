// The built front end (dist/gui): files by path, and index.html for every page route so that a
// shared link opens the right page. Nothing outside the folder is served.
import type { Hono } from 'hono';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { AppEnv, AppOptions } from '../app-options.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** The page's security policy: no inline or foreign scripts, so injected markup cannot run. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function staticRoutes(app: Hono<AppEnv>, { guiDir }: AppOptions): void {
  if (!guiDir) return;
  const root = resolve(guiDir);
  const read = (file: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(file));
  const index = (): Uint8Array<ArrayBuffer> => read(join(root, 'index.html'));
  app.get('*', (c) => {
    const path = decodeURIComponent(new URL(c.req.url).pathname);
    if (path.startsWith('/api/')) return c.notFound();
    const file = resolve(root, `.${path}`);
    const inside = file === root || file.startsWith(root + sep);
    const st = inside ? statSync(file, { throwIfNoEntry: false }) : undefined;
    const headers = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' };
    if (st?.isFile()) {
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      const cache = path.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache';
      return c.body(read(file), 200, {
        ...headers,
        'content-type': type,
        'cache-control': cache,
      });
    }
    if (extname(path) !== '' && !path.endsWith('.html')) return c.notFound();
    return c.body(index(), 200, {
      ...headers,
      'content-type': TYPES['.html']!,
      'cache-control': 'no-cache',
    });
  });
}
