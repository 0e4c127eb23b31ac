import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HookRun, HookWorkers } from './hook-types.js';
import { stopHookWorkers } from './hooks.js';
import { pythonDirOf, pythonLoader } from './python-hooks.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

test(
  'two overlapping calls to one Python worker each get the answers to their own callbacks',
  { timeout: 30_000 },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cm-py-hooks-'));
    const file = join(dir, 'customize.py');
    // Each hook asks the engine twice, with a pause between: were the two calls sent to the worker
    // at once, the second would run nested inside the first's wait, and the engine would answer the
    // first hook's questions with the second's callback.
    writeFileSync(
      file,
      [
        'import time',
        'def preprocess(i):',
        "    first = i['automation'].get_default_path_list({})",
        '    time.sleep(0.2)',
        "    i['env']['GOT'] = ','.join(first + i['automation'].get_default_path_list({}))",
        "    return {'return': 0}",
        '',
      ].join('\n'),
    );
    const workers: HookWorkers = new Map();
    const run = (): HookRun => ({
      workers,
      pythonDir: pythonDirOf(join(root, 'repo')),
      python: async () => process.env['CM_PYTHON'] ?? 'python3',
      env: process.env,
      emit: () => undefined,
      cwd: () => dir,
    });
    try {
      const hooks = await pythonLoader.load(file, run);
      const call = (who: string) => {
        const env: Record<string, unknown> = {};
        const automation = { get_default_path_list: () => [who] };
        return hooks.call('preprocess', { env, automation }).then(() => env['GOT']);
      };
      assert.deepEqual(await Promise.all([call('A'), call('B')]), ['A,A', 'B,B']);
      assert.equal(workers.size, 1, 'one worker, kept by the run');
    } finally {
      stopHookWorkers(workers);
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
