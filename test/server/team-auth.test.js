// Who may do what on the team server: tokens from `cm serve token add` (only hashes stored), 401
// without one, 403 for a read token that pushes, protected experiments hidden until unlocked, and
// no network address without tokens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { sandbox } from '../e2e/helpers.js';
import { postgresMissing, startPostgres } from './postgres.js';
import {
  recordExperiment,
  rowsOf,
  runServe,
  sql,
  startServe,
  storedCounts,
  uidOf,
} from './team-server.js';

const missing = postgresMissing();

describe('team server tokens and protected experiments', { skip: missing ?? false }, () => {
  let pg;
  before(async () => {
    pg = await startPostgres();
  });
  after(() => pg?.stop());

  test('tokens: 401 without a valid one, 403 for a read token that pushes, a write token pushes', async () => {
    const db = await pg.createDatabase();
    const s = sandbox();
    const add = await runServe(s, ['token', 'add', '--scope=write', `--db=${db}`, '--note=ci']);
    assert.equal(add.code, 0, add.stderr);
    const write = add.stdout.trim();
    assert.match(write, /^cm_[A-Za-z0-9_-]{43}$/);
    const read = (await runServe(s, ['token', 'add', '--scope=read', `--db=${db}`])).stdout.trim();
    const stored = await sql(db, 'SELECT hash FROM tokens ORDER BY scope');
    const sha = (t) => createHash('sha256').update(t).digest('hex');
    assert.deepEqual(
      stored.map((r) => r.hash),
      [sha(read), sha(write)],
    );
    const noScope = await runServe(s, ['token', 'add', `--db=${db}`]);
    assert.equal(noScope.code, 1);
    assert.match(noScope.stderr, /needs --scope=read or --scope=write/);

    recordExperiment(s, { alias: 'guarded', uid: uidOf(10) }, { 'run-1': rowsOf('g', 20) });
    const server = await startServe(s, [`--db=${db}`, '--port=0']);
    try {
      assert.match(server.stderr(), /2 tokens, required/);
      const env = { CM_SERVER_URL: server.url };
      const none = await s.cmWith(env, 'push', 'experiment', 'guarded');
      assert.equal(none.code, 1);
      assert.match(none.stderr, /this server needs a token/);
      assert.match(none.stderr, /a token with write scope/);
      const bogus = await s.cmWith(
        { ...env, CM_SERVER_TOKEN: 'cm_not-a-token' },
        'push',
        'experiment',
        'guarded',
      );
      assert.match(bogus.stderr, /invalid token/);
      assert.ok(!bogus.stderr.includes('cm_not-a-token'), 'the token is masked in messages');
      const raw = await fetch(`${server.url}/api/push/results`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
        body: JSON.stringify({ experiment_uid: uidOf(10), dir: 'run-1', rows: [] }),
      });
      assert.equal(raw.status, 401);
      const reader = await s.cmWith(
        { ...env, CM_SERVER_TOKEN: read },
        'push',
        'experiment',
        'guarded',
      );
      assert.equal(reader.code, 1);
      assert.match(reader.stderr, /read scope only/);
      assert.match(reader.stderr, /this needs a token with write scope/);
      assert.deepEqual(await sql(db, 'SELECT uid FROM experiments'), []);

      const writer = await s.cmWith(env, 'push', 'experiment', 'guarded', `--token=${write}`, '-j');
      assert.equal(writer.code, 0, writer.stderr);
      assert.equal(writer.json().inserted, 20);
      const pulled = await sandbox().cmWith(
        { ...env, CM_SERVER_TOKEN: read },
        'pull',
        'experiment',
        'guarded',
        '-j',
      );
      assert.equal(pulled.json().added, 20, pulled.stderr);

      const list = await runServe(s, ['token', 'list', `--db=${db}`, '--json']);
      const tokens = JSON.parse(list.stdout);
      assert.deepEqual(tokens.map((t) => t.scope).sort(), ['read', 'write']);
      assert.equal(tokens.find((t) => t.scope === 'write').note, 'ci');
      const readId = tokens.find((t) => t.scope === 'read').id;
      assert.equal((await runServe(s, ['token', 'rm', readId, `--db=${db}`])).code, 0);
      const revoked = await fetch(`${server.url}/api/health`, {
        headers: { authorization: `Bearer ${read}` },
      });
      assert.equal(revoked.status, 401);
      assert.deepEqual(await storedCounts(db), { [uidOf(10)]: 20 });
    } finally {
      await server.stop();
    }
  });

  test('a protected experiment is hidden from every read until its password unlocks it', async () => {
    const db = await pg.createDatabase();
    const s = sandbox();
    const password_hash = bcrypt.hashSync('open sesame', 4);
    recordExperiment(
      s,
      { alias: 'secret', uid: uidOf(11), meta: { password_hash } },
      { 'run-1': rowsOf('s', 5) },
    );
    recordExperiment(s, { alias: 'public', uid: uidOf(12) }, { 'run-1': rowsOf('p', 3) });
    const server = await startServe(s, [`--db=${db}`, '--port=0']);
    try {
      const env = { CM_SERVER_URL: server.url };
      for (const name of ['secret', 'public'])
        assert.equal((await s.cmWith(env, 'push', 'experiment', name)).code, 0);
      const hidden = await fetch(`${server.url}/api/pull/experiments/secret`);
      assert.equal(hidden.status, 404);
      const other = sandbox();
      const locked = await other.cmWith(env, 'pull', 'experiment', 'secret');
      assert.equal(locked.code, 16);
      assert.ok(!locked.stderr.includes('"secret"'), 'no did-you-mean reveals it');
      const wrong = await other.cmWith(env, 'pull', 'experiment', 'secret', '--password=nope');
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, /wrong password/);
      const right = await other.cmWith(
        env,
        'pull',
        'experiment',
        'secret',
        '--password=open sesame',
        '-j',
      );
      assert.equal(right.code, 0, right.stderr);
      assert.equal(right.json().added, 5);
      const meta = JSON.parse(
        readFileSync(join(other.local('experiment', 'secret'), '_cm.json'), 'utf8'),
      );
      assert.equal(meta.password_hash, password_hash);

      const { PostgresStore } = await import('../../dist/server/store/postgres/postgres-store.js');
      const store = new PostgresStore(db);
      const nobody = { unlocked: new Set() };
      const unlocked = { unlocked: new Set(await store.unlock('open sesame')) };
      assert.deepEqual([...unlocked.unlocked], [uidOf(11)]);
      assert.deepEqual(await store.unlock('nope'), []);
      assert.deepEqual(
        (await store.listExperiments({}, nobody)).map((e) => e.alias),
        ['public'],
      );
      assert.equal((await store.selectRows({}, nobody)).length, 3);
      assert.equal(await store.getExperiment('secret', nobody), undefined);
      assert.equal(await store.getRun(uidOf(11), 'run-1', nobody), undefined);
      assert.equal(await store.getResult('secret', 'run-1', 's-1', nobody), undefined);
      assert.equal((await store.selectRows({}, unlocked)).length, 8);
      const detail = await store.getExperiment('secret', unlocked);
      assert.equal(detail.protected, true);
      assert.equal(detail.meta.password_hash, undefined, 'the hash is not shown');
      await store.close();
    } finally {
      await server.stop();
    }
  });

  test('a non-loopback --host without tokens is refused with a clear message', async () => {
    const db = await pg.createDatabase();
    const r = await runServe(sandbox(), [`--db=${db}`, '--host=0.0.0.0', '--port=0']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /refusing to serve on 0\.0\.0\.0 without tokens/);
    assert.match(r.stderr, /cm serve token add --scope=read/);
  });
});

if (missing) test(`team server tests skipped: ${missing}`, { skip: missing }, () => {});
