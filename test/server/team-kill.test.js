// A team server killed with SIGKILL in the middle of a push: the push fails saying the server is
// unreachable; after a restart the same push completes, and nothing is lost or stored twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { cmBin, sandbox } from '../e2e/helpers.js';
import { postgresMissing, startPostgres } from './postgres.js';
import { recordExperiment, rowsOf, sql, startServe, uidOf } from './team-server.js';

const missing = postgresMissing();

/** `cm push experiment NAME` as a child; resolves to {code, stderr} when it exits. */
function pushIn(s, name, url) {
  const p = spawn(process.execPath, [cmBin, 'push', 'experiment', name], {
    cwd: s.dir,
    env: { ...process.env, CM_REPOS: s.home, CM_SERVER_URL: url },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  return new Promise((resolve) => p.on('exit', (code) => resolve({ code, stderr })));
}

describe('a push interrupted by a killed server', { skip: missing ?? false }, () => {
  let pg;
  before(async () => {
    pg = await startPostgres();
  });
  after(() => pg?.stop());

  test('kill -9 of the server mid-push: after a restart the push completes, nothing duplicated or lost', async () => {
    const db = await pg.createDatabase();
    const s = sandbox();
    const runs = {};
    for (let i = 0; i < 8; i++) runs[`2024-05-0${i + 1}.10-00-00.000000`] = rowsOf(`k${i}`, 5000);
    recordExperiment(s, { alias: 'big', uid: uidOf(20) }, runs);
    const first = await startServe(s, [`--db=${db}`, '--port=0']);
    const pushing = pushIn(s, 'big', first.url);
    let stored = 0;
    let done = false;
    pushing.then(() => (done = true));
    // Kill as soon as some batches are in (batches of 500; 80 of them in all).
    while (!done && stored < 1000) {
      await sleep(5);
      stored = (await sql(db, 'SELECT count(*)::int AS n FROM results'))[0].n;
    }
    await first.kill();
    const broken = await pushing;
    assert.notEqual(broken.code, 0, 'the push was still running when the server died');
    assert.match(broken.stderr, /cannot reach the CM server at|answered 5\d\d/);
    const atKill = (await sql(db, 'SELECT count(*)::int AS n FROM results'))[0].n;
    assert.ok(atKill > 0 && atKill < 40000, `${atKill} results stored at the kill`);
    assert.equal(atKill % 500, 0, 'a batch is stored whole or not at all');

    const second = await startServe(s, [`--db=${db}`, '--port=0']);
    try {
      const resumed = await s.cmWith(
        { CM_SERVER_URL: second.url },
        'push',
        'experiment',
        'big',
        '-j',
      );
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.equal(resumed.json().inserted, 40000 - atKill);
      const [all] = await sql(
        db,
        `SELECT count(*)::int AS n, count(DISTINCT (dir, uid))::int AS distinct_rows,
                (SELECT sum(results)::int FROM runs) AS counted
           FROM results`,
      );
      assert.deepEqual(all, { n: 40000, distinct_rows: 40000, counted: 40000 });
    } finally {
      await second.stop();
    }
  });
});

if (missing) test(`team server tests skipped: ${missing}`, { skip: missing }, () => {});
