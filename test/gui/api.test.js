// The playground's JSON API over the local store (gui.md §5.6), through app.request(): no port,
// the real store over the §6 fixture in a private CM home.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCm } from '../../dist/index.js';
import { createApp } from '../../dist/server/app.js';
import { OPEN_ACCESS, singleToken } from '../../dist/server/auth.js';
import { standardRoutes } from '../../dist/server/routes/standard.js';
import { checkHost } from '../../dist/server/start.js';
import { LocalStore } from '../../dist/server/store/local/local-store.js';
import { fixtureHome, root } from './harness.js';
import {
  MLPERF_UID,
  MLPERF_RUN,
  R1,
  SECRET_PASSWORD,
  SECRET_UID,
  SWEEP_RUNS,
  SWEEP_UID,
  mlperfRows,
  naiveFront,
  sweepRuns,
} from './fixture.js';

let s;
let cm;
function appWith(options = {}) {
  return createApp({
    store: new LocalStore(cm),
    auth: OPEN_ACCESS,
    version: 'test',
    allowExec: false,
    watch: false,
    cm,
    extensions: [standardRoutes],
    ...options,
  });
}
const json = async (res) => ({ status: res.status, body: await res.json() });
const post = (app, path, body, headers = {}) =>
  app.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });

before(async () => {
  s = await fixtureHome();
  cm = createCm({ home: s.home, env: { CM_REPOS: s.home } });
});
after(() => s?.cleanup());

describe('the playground API over local repos', () => {
  test('lists the experiments, without the protected one, with result counts', async () => {
    const { status, body } = await json(await appWith().request('/api/experiments'));
    assert.equal(status, 200);
    const byAlias = Object.fromEntries(body.experiments.map((e) => [e.alias, e]));
    assert.deepEqual(Object.keys(byAlias).sort(), ['mlperf-demo', 'sweep-demo']);
    assert.equal(byAlias['mlperf-demo'].results, 12);
    assert.equal(byAlias['sweep-demo'].results, 18);
    assert.equal(byAlias['sweep-demo'].runs, 2);
    const tagged = await json(await appWith().request('/api/experiments?tags=sweep'));
    assert.deepEqual(
      tagged.body.experiments.map((e) => e.alias),
      ['sweep-demo'],
    );
  });

  test('a query derives, filters and finds the Pareto front as the fixture says', async () => {
    const app = appWith();
    const { status, body } = await json(
      await post(app, '/api/query', {
        selection: { tags: ['mlperf'] },
        derived: 'eff = Result / Result_Power',
        filter: 'Accuracy > 75',
        pareto: {
          objectives: [
            { key: 'Result', goal: 'max' },
            { key: 'Result_Power', goal: 'min' },
          ],
        },
      }),
    );
    assert.equal(status, 200);
    const kept = mlperfRows.filter((r) => r.Accuracy > 75);
    assert.equal(body.total, kept.length);
    assert.equal(body.excluded.filter, 12 - kept.length);
    const r1 = body.rows.find((r) => r.uid === R1.uid);
    assert.equal(r1.eff.toFixed(3), (R1.Result / R1.Result_Power).toFixed(3));
    const front = naiveFront(kept, [
      { key: 'Result', goal: 'max' },
      { key: 'Result_Power', goal: 'min' },
    ]).map((r) => `${MLPERF_UID}/${MLPERF_RUN}/${r.uid}`);
    assert.deepEqual([...body.frontier].sort(), front.sort());
    assert.ok(body.keys.some((k) => k.name === 'eff'));
  });

  test('a bad expression is a 200 answer with its position, never a 5xx', async () => {
    for (const bad of [
      "__import__('os').system('touch /tmp/pwned')",
      'process.exit(1)',
      'eff = (',
    ]) {
      const res = await post(appWith(), '/api/query', {
        selection: {},
        derived: bad.includes('=') ? bad : `x = ${bad}`,
      });
      const { status, body } = await json(res);
      assert.equal(status, 200, bad);
      assert.ok(body.errors.length > 0, bad);
      assert.equal(body.errors[0].part, 'derived');
      assert.equal(typeof body.errors[0].position, 'number');
    }
    const res = await post(appWith(), '/api/query', { filter: 'Accuracy >' });
    const { body } = await json(res);
    assert.equal(body.errors[0].part, 'filter');
  });

  test('a result comes with its step input, files, reports and replay command', async () => {
    const row = sweepRuns[0][4];
    const { status, body } = await json(
      await appWith().request(`/api/results/${SWEEP_UID}/${SWEEP_RUNS[0]}/${row.uid}`),
    );
    assert.equal(status, 200);
    assert.equal(body.row.time, row.time);
    assert.equal(body.stepInput.command, `echo A=${row.A} B=${row.B}`);
    assert.ok(body.files.some((f) => f.path === 'stdout.log'));
    assert.match(body.commands.replay, /^cm replay experiment sweep-demo --dir=\S+ --uid=\S+$/);
    assert.match(body.commands.original ?? '', /^cm run experiment/);
    const r1 = await json(
      await appWith().request(`/api/results/${MLPERF_UID}/${MLPERF_RUN}/${R1.uid}`),
    );
    assert.deepEqual(r1.body.badges.sort(), [
      'acm_ctuning_repro_badge_functional',
      'acm_ctuning_repro_badge_reproduce',
    ]);
    assert.equal(r1.body.reports.length, 1);
    assert.match(r1.body.reports[0].html, /<h1>Reproducibility report<\/h1>/);
    assert.doesNotMatch(r1.body.reports[0].html, /<script>/);
  });

  test('the files API serves a step file and refuses ../ paths', async () => {
    const row = sweepRuns[0][0];
    const base = `/api/files/${SWEEP_UID}/${SWEEP_RUNS[0]}/${row.uid}`;
    const ok = await appWith().request(`${base}/stdout.log`);
    assert.equal(ok.status, 200);
    assert.equal(await ok.text(), `time=${row.time}\n`);
    for (const bad of ['../../_cm.json', '..%2F..%2F_cm.json', '%2e%2e/%2e%2e/_cm.json']) {
      const res = await appWith().request(`${base}/${bad}`);
      assert.ok(res.status >= 400 && res.status < 500, `${bad}: ${res.status}`);
      assert.doesNotMatch(await res.text(), /a0a2d123ef064bcb/);
    }
  });

  test('a protected experiment appears only after the right password', async () => {
    const app = appWith();
    const wrong = await post(app, '/api/unlock', { password: 'nope' });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.headers.get('set-cookie'), null);
    const hidden = await json(await app.request(`/api/experiments/${SECRET_UID}`));
    assert.equal(hidden.status, 404);
    const right = await post(app, '/api/unlock', { password: SECRET_PASSWORD });
    assert.equal(right.status, 200);
    const cookie = right.headers.get('set-cookie').split(';')[0];
    const shown = await json(await app.request('/api/experiments', { headers: { cookie } }));
    assert.ok(shown.body.experiments.some((e) => e.uid === SECRET_UID));
    const q = await json(
      await post(app, '/api/query', { selection: { tags: ['secret'] } }, { cookie }),
    );
    assert.equal(q.body.total, 1);
    const q2 = await json(await post(app, '/api/query', { selection: { tags: ['secret'] } }));
    assert.equal(q2.body.total, 0);
  });

  test('replays are refused without --allow-exec', async () => {
    const res = await post(appWith(), '/api/replay', { exp: SWEEP_UID, dir: SWEEP_RUNS[0] });
    assert.equal(res.status, 403);
  });

  test('with --allow-exec a replay runs, streams its log and records a new run', async () => {
    const app = appWith({ allowExec: true, cmBin: join(root, 'bin', 'cm.js') });
    const res = await post(app, '/api/replay', { exp: SWEEP_UID, dir: SWEEP_RUNS[0] });
    assert.equal(res.status, 200);
    const { job } = await res.json();
    const events = await (await app.request(`/api/jobs/${job}/events`)).text();
    assert.match(events, /event: log\ndata: Replaying the run/);
    const done = JSON.parse(/event: done\ndata: (.*)/.exec(events)[1]);
    assert.equal(done.status, 'ok', events);
    assert.match(done.runDir, /^\d{4}-\d\d-\d\d\./);
    const list = await json(await app.request('/api/experiments?tags=replay'));
    assert.equal(list.body.experiments.length, 1);
    assert.equal(list.body.experiments[0].results, 9);
  });

  test('exports the view as CSV with a header and one line per row', async () => {
    const res = await appWith().request(
      '/api/export.csv?tags=mlperf&filter=Accuracy%20%3E%2075&cols=uid,Result,Accuracy',
    );
    assert.equal(res.status, 200);
    const lines = (await res.text()).trimEnd().split('\n');
    assert.equal(lines[0], 'uid,Result,Accuracy');
    assert.equal(lines.length, mlperfRows.filter((r) => r.Accuracy > 75).length + 1);
  });

  test('saves, lists and deletes views; a bad view name is a 400', async () => {
    const app = appWith();
    const put = await app.request('/api/views/my view', {
      method: 'PUT',
      body: JSON.stringify({ params: { x: 'Result', y: 'Accuracy' } }),
    });
    assert.equal(put.status, 200);
    const list = await json(await app.request('/api/views'));
    assert.deepEqual(
      list.body.views.map((v) => v.name),
      ['my view'],
    );
    assert.equal((await app.request('/api/views/my%20view', { method: 'DELETE' })).status, 200);
    const bad = await app.request('/api/views/..%2Fx', { method: 'PUT', body: '{"params":{}}' });
    assert.equal(bad.status, 400);
  });

  test('with a token, requests without it are refused and nothing is written', async () => {
    const app = appWith({ auth: singleToken('s3cret') });
    assert.equal((await app.request('/api/experiments')).status, 401);
    const put = await app.request('/api/views/x', { method: 'PUT', body: '{"params":{}}' });
    assert.equal(put.status, 401);
    assert.equal((await json(await appWith().request('/api/views'))).body.views.length, 0);
    const ok = await app.request('/api/experiments', {
      headers: { authorization: 'Bearer s3cret' },
    });
    assert.equal(ok.status, 200);
  });

  test('a non-loopback host without tokens is refused', () => {
    assert.throws(
      () => checkHost({ host: '0.0.0.0', port: 0, tokensConfigured: false }),
      /refusing to serve on 0\.0\.0\.0/,
    );
    assert.doesNotThrow(() => checkHost({ host: '0.0.0.0', port: 0, tokensConfigured: true }));
    assert.doesNotThrow(() => checkHost({ host: '127.0.0.1', port: 0, tokensConfigured: false }));
  });

  test('new results in a run are seen by the next query (cache by mtime and size)', async () => {
    const app = appWith();
    const first = await json(
      await post(app, '/api/query', { selection: { experiments: ['sweep-demo'] } }),
    );
    assert.equal(first.body.total, 18);
    const file = join(s.local('experiment', 'sweep-demo'), SWEEP_RUNS[1], 'cm-result.json');
    const rows = JSON.parse(readFileSync(file, 'utf8'));
    rows.push({ uid: 'e000000000009999', A: 9, B: 9, time: 99, acc: 0.9 });
    writeFileSync(file, JSON.stringify(rows));
    const second = await json(
      await post(app, '/api/query', { selection: { experiments: ['sweep-demo'] } }),
    );
    assert.equal(second.body.total, 19);
    rows.pop();
    writeFileSync(file, JSON.stringify(rows, null, 2) + '\n');
  });
});
