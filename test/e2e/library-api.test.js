// The library API: CM-style dicts in and out, no exceptions for expected failures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { access, createCm } from '../../dist/index.js';

test('access() takes CM dicts and returns {return: 0, ...} or {return: >0, error}', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cm-api-'));
  const env = { CM_REPOS: home };
  assert.equal(
    (await access({ action: 'add', automation: 'automation', artifact: 'ds' }, { env })).return,
    0,
  );
  assert.equal(
    (await access({ action: 'add', automation: 'ds', artifact: 'one', tags: 'a,b' }, { env }))
      .return,
    0,
  );
  const found = await access({ action: 'find', automation: 'ds', tags: 'a' }, { env });
  assert.equal(found.return, 0);
  assert.deepEqual(
    found.list.map((x) => x.alias),
    ['one'],
  );
  const missing = await access({ action: 'load', automation: 'ds', artifact: 'nothere' }, { env });
  assert.equal(missing.return, 16);
  assert.equal(missing.code, 'artifact-not-found');
  assert.match(missing.error, /artifact not found/);
  rmSync(home, { recursive: true, force: true });
});

test('createCm() accepts argv lists and reports events instead of printing', async () => {
  const home = mkdtempSync(join(tmpdir(), 'cm-api-'));
  const events = [];
  const cm = createCm({ home, onEvent: (e) => events.push(e) });
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
  const refused = await cm.access(['rm', 'ds', 'x']);
  assert.equal(refused.return, 16);
  rmSync(home, { recursive: true, force: true });
});
