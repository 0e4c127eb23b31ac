// node:child_process, loaded on first use: it pulls in net, dgram and the stream modules, 5–10 ms
// of compiling Node's own code that commands which start no process (queries, plans, cache hits)
// need not pay.
import type * as ChildProcessModule from 'node:child_process';
import { createRequire } from 'node:module';

let loaded: typeof ChildProcessModule | undefined;

export function childProcess(): typeof ChildProcessModule {
  return (loaded ??= createRequire(import.meta.url)(
    'node:child_process',
  ) as typeof ChildProcessModule);
}
