// The team server over a real PostgreSQL 15: migrations once, cm push idempotent under 8
// concurrent pushers, cm pull back into a local experiment, SQL in names and filters inert, limits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from '../e2e/helpers.js';
import { postgresMissing, startPostgres } from './postgres.js';
import { recordExperiment, rowsOf, sql, startServe, storedCounts, uidOf } from './team-server.js';

const missing = postgresMissing();

describe('cm serve and cm push over PostgreSQL', { skip: missing ?? false }, () => {
  let pg;
  before(async () => {
    pg = await startPostgres();
  });
  after(() => pg?.stop());

  test('two servers starting together apply the migrations once; a restart finds them current', async () => {
    const db = await pg.createDatabase();
    const s = sandbox();
    const servers = await Promise.all([
      startServe(s, [`--db=${db}`, '--port=0']),
      startServe(s, [`--db=${db}`, '--port=0']),
    ]);
    // Both stopped before any assertion: a failed one must not leave a server running.
    const stops = await Promise.all(servers.map((x) => x.stop()));
    const migrated = servers.filter((x) => x.stderr().includes('schema migrated to v2'));
    assert.equal(migrated.length, 1, servers.map((x) => x.stderr()).join('\n'));
    assert.deepEqual(stops, [
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    const again = await startServe(s, [`--db=${db}`, '--port=0']);
    assert.match(again.stderr(), /schema current/);
    await again.stop();
    assert.deepEqual(await sql(db, 'SELECT version FROM schema_migrations ORDER BY version'), [
      { version: 1 },
      { version: 2 },
    ]);
  });

  test('a push stores every result once; a re-push inserts nothing and says so', async () => {
    const db = await pg.createDatabase();
    const s = sandbox();
    const twin = { Result: 7, note: 'no uid' };
    recordExperiment(
      s,
      { alias: 'sweep', uid: uidOf(1), tags: ['team', 'sweep'] },
      {
        '2024-01-01.10-00-00.000000': { rows: rowsOf('a', 700), input: { action: 'run', n: 1 } },
        '2024-01-02.10-00-00.000000': [...rowsOf('b', 30), twin, { ...twin }],
      },
    );
    const server = await startServe(s, [`--db=${db}`, '--port=0']);
    try {
      const env = { CM_SERVER_URL: server.url };
      const first = await s.cmWith(env, 'push', 'experiment', 'sweep', '-j');
      assert.equal(first.code, 0, first.stderr);
      assert.deepEqual(
        [first.json().inserted, first.json().skipped, first.json().created],
        [732, 0, true],
      );
      const again = await s.cmWith(env, 'push', 'experiment', 'sweep');
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /Nothing new: the 732 results of sweep are already on/);
      assert.deepEqual(await storedCounts(db), { [uidOf(1)]: 732 });
      const [run] = await sql(db, 'SELECT input, started FROM runs WHERE dir = $1', [
        '2024-01-01.10-00-00.000000',
      ]);
      assert.deepEqual(run, {
        input: { action: 'run', n: 1 },
        started: '2024-01-01T10:00:00.000000',
      });
    } finally {
      await server.stop();
    }
  });

  test('a pushed result has its step input on the server (secrets left out), its page the same API as cm gui', async () => {
    const db = await pg.createDatabase();
    const s = sandbox();
    const run = '2024-04-01.10-00-00.000000';
    const dir = recordExperiment(
      s,
      { alias: 'stepped', uid: uidOf(5), tags: ['team', 'stepped'] },
      {
        [run]: {
          rows: rowsOf('st', 2),
          input: {
            action: 'run',
            automation: 'experiment',
            tags: 'team,stepped',
            unparsed_cmd: ['echo', '{{A}}'],
          },
        },
      },
    );
    mkdirSync(join(dir, run, 'st-0'));
    writeFileSync(
      join(dir, run, 'st-0', 'cm-input.json'),
      JSON.stringify({ command: 'echo 1', env: { A: '1', MY_TOKEN: 'hunter2' } }),
    );
    const server = await startServe(s, [`--db=${db}`, '--port=0']);
    try {
      const pushed = await s.cmWith({ CM_SERVER_URL: server.url }, 'push', 'experiment', 'stepped');
      assert.equal(pushed.code, 0, pushed.stderr);
      const page = await fetch(`${server.url}/api/results/${uidOf(5)}/${run}/st-0`);
      assert.equal(page.status, 200);
      const detail = await page.json();
      assert.equal(detail.stepInput.command, 'echo 1');
      assert.deepEqual(detail.stepInput.env, { A: '1' });
      assert.equal(
        detail.commands.original,
        "cm run experiment --tags=team,stepped -- echo '{{A}}'",
      );
      const other = await (await fetch(`${server.url}/api/results/${uidOf(5)}/${run}/st-1`)).json();
      assert.equal(other.stepInput, undefined);
      const q = await fetch(`${server.url}/api/query`, {
        method: 'POST',
        body: JSON.stringify({ selection: { tags: ['stepped'] }, filter: 'Result > 0' }),
      });
      assert.equal((await q.json()).total, 1);
    } finally {
      await server.stop();
    }
  });

  test('8 concurrent pushers of 200 results each store exactly 1,600, none twice', async () => {
    const db = await pg.createDatabase();
    const server = await startServe(sandbox(), [`--db=${db}`, '--port=0']);
    try {
      const env = { CM_SERVER_URL: server.url };
      // Eight machines recorded runs of one experiment; each also holds the same shared run.
      const pushers = Array.from({ length: 8 }, (_, i) => {
        const s = sandbox();
        recordExperiment(
          s,
          { alias: 'shared', uid: uidOf(2) },
          {
            [`2024-02-0${i + 1}.10-00-00.000000`]: rowsOf(`p${i}`, 200),
            '2024-03-01.10-00-00.000000': rowsOf('same', 50),
          },
        );
        return s;
      });
      const push = () =>
        Promise.all(pushers.map((s) => s.cmWith(env, 'push', 'experiment', 'shared', '-j')));
      const first = await push();
      for (const r of first) assert.equal(r.code, 0, r.stderr);
      assert.equal(
        first.reduce((n, r) => n + r.json().inserted, 0),
        1650,
      );
      const counts = await sql(
        db,
        `SELECT dir, count(*)::int AS n, count(DISTINCT uid)::int AS distinct_uids
           FROM results GROUP BY dir ORDER BY dir`,
      );
      assert.equal(counts.length, 9);
      for (const c of counts.slice(0, 8)) assert.deepEqual([c.n, c.distinct_uids], [200, 200]);
      assert.deepEqual([counts[8].n, counts[8].distinct_uids], [50, 50]);
      const again = await push();
      for (const r of again) assert.deepEqual([r.code, r.json().inserted], [0, 0], r.stderr);
      assert.deepEqual(await storedCounts(db), { [uidOf(2)]: 1650 });
      const [runs] = await sql(db, 'SELECT sum(results)::int AS n FROM runs');
      assert.equal(runs.n, 1650);
    } finally {
      await server.stop();
    }
  });

  test('cm pull brings the results back as a local experiment that cm show lists', async () => {
    const db = await pg.createDatabase();
    const s = sandbox();
    const rows = rowsOf('r', 1200);
    recordExperiment(
      s,
      { alias: 'bert-runs', uid: uidOf(3), tags: ['team', 'bert'] },
      {
        '2024-04-01.10-00-00.000000': { rows, input: { action: 'run', cmd: 'bench' } },
      },
    );
    const server = await startServe(s, [`--db=${db}`, '--port=0']);
    try {
      const env = { CM_SERVER_URL: server.url };
      assert.equal((await s.cmWith(env, 'push', 'experiment', 'bert-runs')).code, 0);
      const other = sandbox();
      const pulled = await other.cmWith(env, 'pull', 'experiment', 'bert-runs', '-j');
      assert.equal(pulled.code, 0, pulled.stderr);
      assert.deepEqual([pulled.json().added, pulled.json().created], [1200, true]);
      const shown = await other.cm('show', 'experiment', 'bert-runs', '-j');
      assert.equal(shown.code, 0, shown.stderr);
      const out = shown.json();
      assert.equal(out.rows.length, 1200);
      assert.deepEqual(
        [out.experiments[0].uid, out.experiments[0].tags],
        [uidOf(3), ['team', 'bert']],
      );
      const row = out.rows.find((r) => r.uid === 'r-17');
      assert.deepEqual([row.Result, row.Accuracy, row.experiment_alias], [17, 67, 'bert-runs']);
      const runDir = join(other.local('experiment', 'bert-runs'), '2024-04-01.10-00-00.000000');
      assert.deepEqual(JSON.parse(readFileSync(join(runDir, 'cm-input.json'), 'utf8')), {
        action: 'run',
        cmd: 'bench',
      });
      const twice = await other.cmWith(env, 'pull', 'experiment', bertUid(), '-j');
      assert.deepEqual([twice.code, twice.json().added, twice.json().present], [0, 0, 1200]);
      const typo = await other.cmWith(env, 'pull', 'experiment', 'bert-run');
      assert.equal(typo.code, 16);
      assert.match(typo.stderr, /experiment not found on the server: bert-run/);
      assert.match(typo.stderr, /did you mean "bert-runs"/);
    } finally {
      await server.stop();
    }
    function bertUid() {
      return uidOf(3);
    }
  });

  test('names, tags, keys and filters carrying SQL are stored as text and change nothing', async () => {
    const db = await pg.createDatabase();
    const s = sandbox();
    const server = await startServe(s, [`--db=${db}`, '--port=0']);
    const evil = "'; DROP TABLE results; --";
    const post = (path, body) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    try {
      let r = await post('/api/push/experiment', {
        uid: uidOf(4),
        alias: evil,
        tags: [evil, "x') OR 1=1 --"],
        meta: { [evil]: evil },
      });
      assert.equal(r.status, 200, await r.text());
      r = await post('/api/push/results', {
        experiment_uid: uidOf(4),
        dir: "run'); DELETE FROM runs; --",
        rows: [{ uid: "u'; DROP TABLE experiments; --", [evil]: evil, Result: 1 }],
      });
      assert.deepEqual(await r.json(), { inserted: 1, skipped: 0 });
      const got = await fetch(`${server.url}/api/pull/experiments/${encodeURIComponent(evil)}`);
      const e = await got.json();
      assert.deepEqual([e.alias, e.tags, e.meta[evil]], [evil, [evil, "x') OR 1=1 --"], evil]);
      const page = await fetch(
        `${server.url}/api/pull/experiments/${uidOf(4)}/runs/${encodeURIComponent(e.runs[0].dir)}/results?after=${encodeURIComponent('0; DROP TABLE results')}`,
      );
      assert.deepEqual((await page.json()).rows, [
        { uid: "u'; DROP TABLE experiments; --", [evil]: evil, Result: 1 },
      ]);
      // The store's own filters, in process.
      const { PostgresStore } = await import('../../dist/server/store/postgres/postgres-store.js');
      const store = new PostgresStore(db);
      const viewer = { unlocked: new Set() };
      assert.equal((await store.listExperiments({ q: "%' OR '1'='1" }, viewer)).length, 0);
      assert.equal((await store.listExperiments({ q: 'DROP TABLE' }, viewer)).length, 1);
      assert.equal((await store.listExperiments({ tags: [evil] }, viewer)).length, 1);
      assert.equal((await store.selectRows({ tags: ["') OR 1=1 --"] }, viewer)).length, 0);
      assert.equal((await store.selectRows({ experiments: [evil] }, viewer)).length, 1);
      await store.close();
      const tables = await sql(
        db,
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'",
      );
      assert.equal(tables[0].n, 6);
      assert.deepEqual(await storedCounts(db), { [uidOf(4)]: 1 });
    } finally {
      await server.stop();
    }
  });

  test('oversized bodies are refused with 413 and a hint; bad bodies with 400', async () => {
    const db = await pg.createDatabase();
    const server = await startServe(sandbox(), [`--db=${db}`, '--port=0']);
    const post = (path, body) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    try {
      assert.equal((await post('/api/push/experiment', { uid: uidOf(5), alias: 'x' })).status, 200);
      const huge = await post('/api/push/results', {
        experiment_uid: uidOf(5),
        dir: 'd',
        rows: [{ uid: 'big', blob: 'x'.repeat(33 * 1024 * 1024) }],
      });
      assert.equal(huge.status, 413);
      assert.equal((await huge.json()).code, 'too-large');
      const many = await post('/api/push/results', {
        experiment_uid: uidOf(5),
        dir: 'd',
        rows: rowsOf('m', 5001),
      });
      assert.equal(many.status, 413);
      assert.match((await many.json()).error, /5001 results in one request/);
      const traversal = await post('/api/push/results', {
        experiment_uid: uidOf(5),
        dir: '../../etc',
        rows: [],
      });
      assert.equal(traversal.status, 400);
      assert.equal((await post('/api/push/results', '{not json')).status, 400);
      const unknown = await post('/api/push/results', {
        experiment_uid: uidOf(6),
        dir: 'd',
        rows: [],
      });
      assert.equal(unknown.status, 404);
      assert.deepEqual(await storedCounts(db), {});
    } finally {
      await server.stop();
    }
  });
});

if (missing) test(`team server tests skipped: ${missing}`, { skip: missing }, () => {});
