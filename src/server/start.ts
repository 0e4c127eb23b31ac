// Starting the playground's server on a host and port: loopback unless tokens guard it (gui.md
// §5.6). Returns once it listens, with its URL and a close function.
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { isIP } from 'node:net';
import { CmError } from '../core/errors.js';

export interface StartOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Whether requests need a token: required for any non-loopback host. */
  tokensConfigured: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export function checkHost(o: StartOptions): void {
  if (!isLoopback(o.host) && !o.tokensConfigured)
    throw new CmError(
      'bad-input',
      `refusing to serve on ${o.host} without tokens: anyone on the network could read (and write) the results`,
      {
        hint: 'serve on 127.0.0.1 (the default), or give --token=SECRET (cm gui) / add tokens with "cm serve token add --scope=read --db=..." (cm serve)',
      },
    );
}

export async function startServer(app: Hono<any>, o: StartOptions): Promise<RunningServer> {
  checkHost(o);
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: o.host, port: o.port }, (info) => {
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            const s = server as unknown as { closeAllConnections?: () => void };
            s.closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new CmError('bad-input', `cannot listen on ${o.host}:${o.port}: ${e.message}`, {
          hint: e.code === 'EADDRINUSE' ? 'the port is taken: give another --port' : 'check --host',
        }),
      ),
    );
  });
}
