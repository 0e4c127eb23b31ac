// The library API: CM-style dicts in and out, no exceptions for expected failures.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { access, createCm } from '../../dist/index.js';
import { parallel } from './helpers.js';

function tempHome() {
  const dir = mkdtempSync(join(tmpdir(), 'cm-api-'));
  return { home: join(dir, 'CM'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('library API', parallel, () => {
  test('access() with {home} adds an automation and finds its artifacts as plain data', async () => {
    const { home, cleanup } = tempHome();
    const added = await access(
      { action: 'add', automation: 'automation', artifact: 'ds' },
      { home },
    );
    assert.equal(added.return, 0, added.error);
    assert.equal(added.path, join(home, 'repos', 'local', 'automation', 'ds'));
    assert.deepEqual(await access({ action: 'find', automation: 'ds' }, { home }), {
      return: 0,
      list: [],
    });
    const one = await access(
      { action: 'add', automation: 'ds', artifact: 'one', tags: 'a,b', meta: { k: [1] } },
      { home },
    );
    assert.equal(one.return, 0, one.error);
    const found = await access({ action: 'find', automation: 'ds', tags: 'a' }, { home });
    assert.equal(found.return, 0);
    assert.deepEqual(
      found.list.map((x) => [x.alias, x.path, x.tags]),
      [['one', join(home, 'repos', 'local', 'ds', 'one'), ['a', 'b']]],
    );
    const loaded = await access({ action: 'load', automation: 'ds', artifact: 'one' }, { home });
    assert.deepEqual(loaded.meta.k, [1]);
    // The result is plain data: it survives a JSON round trip unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(found)), found);
    cleanup();
  });

  test('access() returns {return: 16, error} for a missing artifact instead of throwing', async () => {
    const { home, cleanup } = tempHome();
    await access({ action: 'add', automation: 'automation', artifact: 'ds' }, { home });
    const missing = await access(
      { action: 'load', automation: 'ds', artifact: 'nothere' },
      { home },
    );
    assert.equal(missing.return, 16);
    assert.equal(missing.code, 'artifact-not-found');
    assert.match(missing.error, /artifact not found/);
    const noAutomation = await access({ action: 'find', automation: 'nope' }, { home });
    assert.equal(noAutomation.return, 4);
    assert.match(noAutomation.error, /automation "nope" not found/);
    cleanup();
  });

  test('access() takes the command line as an argv list', async () => {
    const { home, cleanup } = tempHome();
    const r = await access(['find', 'automation'], { home });
    assert.equal(r.return, 0, r.error);
    assert.deepEqual(r.list.map((x) => x.alias).sort(), [
      'automation',
      'cache',
      'core',
      'experiment',
      'repo',
      'report',
      'script',
      'utils',
    ]);
    const bad = await access(['find', 'automation', 'a:b:c'], { home });
    assert.equal(bad.return, 1);
    assert.match(bad.error, /not recognized/);
    cleanup();
  });

  test('createCm() keeps one instance, reports events instead of printing, and honours CM_REPOS in env', async () => {
    const { home, cleanup } = tempHome();
    const events = [];
    const cm = createCm({ env: { CM_REPOS: home }, onEvent: (e) => events.push(e) });
    assert.equal((await cm.access(['add', 'automation', 'ds'])).return, 0);
    const r = await cm.access(['find', 'automation', '--tags=automation']);
    assert.equal(r.return, 0);
    assert.ok(r.list.some((x) => x.alias === 'ds'));
    assert.ok(events.some((e) => e.type === 'info' && /Added CM object/.test(e.text)));
    assert.ok(
      events.some(
        (e) =>
          e.type === 'output' && e.text.includes(join(home, 'repos', 'local', 'automation', 'ds')),
      ),
    );
    assert.equal((await cm.access(['rm', 'ds', 'x'])).return, 16);
    cleanup();
  });

  test('a long-lived instance sees edits of a module.js between calls', async () => {
    const { home, cleanup } = tempHome();
    const cm = createCm({ home });
    const added = await cm.access({ action: 'add', automation: 'automation', artifact: 'mod' });
    assert.equal(added.return, 0, added.error);
    writeFileSync(added.module, 'export function which() { return { return: 0, v: 1 }; }\n');
    assert.equal((await cm.access(['which', 'mod'])).v, 1);
    writeFileSync(
      added.module,
      'export function which() { return { return: 0, v: 2 }; }\nexport function extra() {}\n',
    );
    assert.equal((await cm.access(['which', 'mod'])).v, 2);
    assert.equal((await cm.access(['extra', 'mod'])).return, 0);
    cleanup();
  });
});
