// End-to-end: `cm mcp`, driven as an agent would by the MCP SDK's own client over stdio, against a
// private CM home with the par-catalog fixture registered (par-sleep sleeps CM_PAR_SLEEP seconds;
// _cached runs it in a cache entry). Tools listed with their schemas, each called; run_script
// refused when read-only or outside --allow-run=TAGS, allowed and streamed as progress otherwise;
// a cancelled run and a client that goes away mid-run leave no held lock and nothing reused.
// Experiments: run_experiment (bare --allow-run only) explores a node command that writes
// cm-output.json; query_experiments reads the rows back with filter, derive and the Pareto front.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { isHeld } from '../../dist/db/lock.js';
import { cmBin, parallel } from './helpers.js';
import { catalogSandbox } from './script-fixtures.js';

/** A connected client of `cm mcp FLAGS` in sandbox `s`; `stderr` collects the server's stderr. */
async function connect(s, ...flags) {
  const env = { ...process.env, CM_REPOS: s.home };
  delete env.CM_DEBUG;
  delete env.CM_INDEX;
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cmBin, 'mcp', ...flags],
    env,
    cwd: s.dir,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'cm-e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

const json = (r) => r.structuredContent;
const text = (r) => r.content[0].text;

/** Lock files under the cache's .locks that a live process still holds. */
function heldLocks(s) {
  const dir = s.local('cache', '.locks');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.lock') && isHeld(join(dir, f)));
}

/** Calls run_script and resolves `started` once the script printed its first line. */
function startSleepingRun(client, tags, seconds, signal) {
  let onStart;
  const started = new Promise((r) => (onStart = r));
  const lines = [];
  const call = client.callTool(
    { name: 'run_script', arguments: { tags, inputs: { env: { CM_PAR_SLEEP: String(seconds) } } } },
    undefined,
    {
      signal,
      timeout: 60_000,
      onprogress: (p) => {
        lines.push(p.message);
        if (/par-sleep a: start/.test(p.message ?? '')) onStart();
      },
    },
  );
  return { call, started, lines };
}

describe('cm mcp', parallel, () => {
  test('--help and --print-config', async () => {
    const s = await catalogSandbox('par-catalog');
    const help = await s.cm('mcp', '--help');
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /--allow-run=TAGS/);
    assert.match(help.stdout, /--allow-sudo/);
    assert.match(
      help.stdout,
      /query_experiments \{name, tags, run, derive, filter, pareto, limit\}/,
    );
    assert.match(help.stdout, /run_experiment stays refused/);
    const r = await s.cm('mcp', '--print-config', '--allow-run=detect,os');
    assert.equal(r.code, 0, r.stderr);
    const config = r.json();
    assert.equal(config.mcpServers.cm.command, process.execPath);
    assert.deepEqual(config.mcpServers.cm.args, [cmBin, 'mcp', '--allow-run=detect,os']);
    assert.equal(config.mcpServers.cm.env.CM_REPOS, s.home);
    const bad = await s.cm('mcp', '--allow-run=_cached');
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /variations/);
  });

  test('tools with their schemas; describe, plan, list cache; run refused when read-only', async () => {
    const s = await catalogSandbox('par-catalog');
    const { client } = await connect(s);
    try {
      const { tools } = await client.listTools();
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      for (const name of [
        'search_scripts',
        'describe_script',
        'plan_script',
        'run_script',
        'list_cache',
      ])
        assert.ok(byName[name], `tool ${name} listed`);
      const plan = byName.plan_script.inputSchema;
      assert.equal(plan.type, 'object');
      assert.deepEqual(plan.required, ['tags']);
      assert.equal(plan.additionalProperties, false);
      assert.equal(plan.properties.tags.type, 'string');

      assert.deepEqual(byName.search_scripts.inputSchema.required, ['query']);
      assert.equal(byName.search_scripts.inputSchema.properties.limit.type, 'integer');
      const found = await client.callTool({
        name: 'search_scripts',
        arguments: { query: 'sleep for a while', limit: 2 },
      });
      assert.ok(!found.isError, text(found));
      assert.ok(json(found).suggestions.length <= 2);
      assert.equal(json(found).suggestions[0].alias, 'par-sleep');
      assert.match(text(found), /1\. par-sleep \(score [\d.]+\): cmr "par sleep/);
      const refusedLimit = await client
        .callTool({ name: 'search_scripts', arguments: { query: 'x', limit: 0 } })
        .then(
          (r) => (r.isError ? text(r) : 'accepted'),
          (e) => e.message,
        );
      assert.match(refusedLimit, /limit/);

      const d = await client.callTool({
        name: 'describe_script',
        arguments: { name: 'par-sleep' },
      });
      assert.ok(!d.isError, text(d));
      assert.deepEqual(json(d).variations.which, ['_a', '_b', '_c', '_d']);
      assert.ok(json(d).variations.ungrouped.includes('_cached'));
      assert.deepEqual(json(d).tags, ['par', 'sleep']);
      assert.match(text(d), /Variations which: _a _b _c _d/);

      const p = await client.callTool({ name: 'plan_script', arguments: { tags: 'par root' } });
      assert.ok(!p.isError, text(p));
      const nodes = json(p).nodes;
      assert.equal(nodes[0].script, 'par-root');
      assert.equal(nodes.length, 5);
      for (const n of nodes.slice(1)) {
        assert.equal(n.cache.status, 'miss');
        assert.equal(typeof n.cache.reason, 'string');
      }
      assert.match(text(p), /par-sleep: will-run \(cache miss/);

      const c = await client.callTool({ name: 'list_cache', arguments: {} });
      assert.ok(!c.isError, text(c));
      assert.deepEqual(json(c).entries, []);

      const r = await client.callTool({ name: 'run_script', arguments: { tags: 'par sleep _a' } });
      assert.ok(r.isError);
      assert.match(text(r), /read-only/);
      assert.match(text(r), /--allow-run/);

      const missing = await client.callTool({
        name: 'plan_script',
        arguments: { tags: 'par nothing' },
      });
      assert.ok(missing.isError);
      assert.equal(json(missing).code, 'script-not-found');
    } finally {
      await client.close();
    }
  });

  test('unknown tool arguments are refused with the schema message', async () => {
    const s = await catalogSandbox('par-catalog');
    const { client } = await connect(s);
    try {
      const outcome = await client
        .callTool({ name: 'list_cache', arguments: { tagz: 'par' } })
        .then(
          (r) => (r.isError ? text(r) : 'accepted'),
          (e) => e.message,
        );
      assert.match(outcome, /Unrecognized key\(s\) in object: 'tagz'/);
      // A name passed to the CLI as an argument may not read as a flag or an input file.
      const flag = await client
        .callTool({ name: 'describe_script', arguments: { name: '@/etc/x.json' } })
        .then(
          (r) => (r.isError ? text(r) : 'accepted'),
          (e) => e.message,
        );
      assert.match(flag, /name may not start with - or @/);
      const reserved = await client.callTool({
        name: 'plan_script',
        arguments: { tags: 'par sleep _a', inputs: { dry_run: false } },
      });
      assert.ok(reserved.isError);
      assert.match(text(reserved), /inputs may not set dry_run/);
    } finally {
      await client.close();
    }
  });

  test('--allow-run=TAGS: runs those scripts with progress, refuses others and sudo', async () => {
    const s = await catalogSandbox('par-catalog');
    const { client } = await connect(s, '--allow-run=par,sleep');
    try {
      const refused = await client.callTool({
        name: 'run_script',
        arguments: { tags: 'par root' },
      });
      assert.ok(refused.isError);
      assert.match(text(refused), /par-root .* is not allowed; .* only scripts tagged par,sleep/);
      const sudo = await client.callTool({
        name: 'run_script',
        arguments: { tags: 'detect sudo' },
      });
      assert.ok(sudo.isError);
      assert.match(text(sudo), /not allowed/);

      const progress = [];
      const r = await client.callTool(
        {
          name: 'run_script',
          arguments: { tags: 'par sleep _a _cached', inputs: { env: { CM_PAR_SLEEP: '0' } } },
        },
        undefined,
        { onprogress: (p) => progress.push(p) },
      );
      assert.ok(!r.isError, text(r));
      assert.deepEqual(json(r).new_env, { CM_PAR_A: 'done-a' });
      assert.ok(
        progress.some((p) => p.message === 'par-sleep a: done'),
        JSON.stringify(progress),
      );
      assert.deepEqual(
        progress.map((p) => p.progress),
        progress.map((_, i) => i + 1),
      );
      const c = await client.callTool({ name: 'list_cache', arguments: { tags: 'par,_a' } });
      assert.equal(json(c).entries.length, 1);
      const again = await client.callTool({
        name: 'plan_script',
        arguments: { tags: 'par sleep _a _cached' },
      });
      assert.equal(json(again).nodes[0].cache.status, 'hit');
    } finally {
      await client.close();
    }
  });

  test('sudo plans are refused unless --allow-sudo', async () => {
    const s = await catalogSandbox('par-catalog');
    const { client } = await connect(s, '--allow-run');
    try {
      const plan = await client.callTool({
        name: 'plan_script',
        arguments: { tags: 'detect sudo' },
      });
      assert.deepEqual(json(plan).needs_sudo, ['detect-sudo is tagged sudo']);
      const r = await client.callTool({ name: 'run_script', arguments: { tags: 'detect sudo' } });
      assert.ok(r.isError);
      assert.match(text(r), /needs sudo \(detect-sudo is tagged sudo\)/);
      assert.match(text(r), /--allow-sudo/);
    } finally {
      await client.close();
    }
  });

  test('a cancelled run leaves nothing reused and no held lock', async () => {
    const s = await catalogSandbox('par-catalog');
    const { client } = await connect(s, '--allow-run');
    try {
      const abort = new AbortController();
      const run = startSleepingRun(client, 'par sleep _a _cached', 30, abort.signal);
      await run.started;
      assert.equal(heldLocks(s).length, 1, 'the run holds its cache lock');
      abort.abort();
      await assert.rejects(run.call, /abort/i);
      // The server kills the run's process group: its lock's owner is gone.
      for (let i = 0; i < 50 && heldLocks(s).length > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(heldLocks(s), []);

      const plan = await client.callTool({
        name: 'plan_script',
        arguments: { tags: 'par sleep _a _cached' },
      });
      assert.equal(json(plan).nodes[0].cache.status, 'miss', text(plan));
      const again = startSleepingRun(client, 'par sleep _a _cached', 0);
      const r = await again.call;
      assert.ok(!r.isError, text(r));
      assert.ok(again.lines.includes('par-sleep a: start'), 'it ran again');
      assert.deepEqual(json(r).new_env, { CM_PAR_A: 'done-a' });
      const c = await client.callTool({ name: 'list_cache', arguments: { tags: 'par' } });
      assert.deepEqual(
        json(c).entries.map((e) => e.path),
        [json(r).cache_entry],
      );
      assert.ok(!json(c).entries[0].tags.includes('tmp'));
    } finally {
      await client.close();
    }
  });

  test('a client that goes away mid-run leaves no run holding locks', async () => {
    const s = await catalogSandbox('par-catalog');
    const log = join(s.dir, 'par.log');
    const { client } = await connect(s, '--allow-run');
    const run = startSleepingRun(client, 'par sleep _a _cached', 30);
    run.call.catch(() => undefined);
    await run.started;
    assert.equal(heldLocks(s).length, 1);
    const t0 = Date.now();
    await client.close();
    assert.ok(Date.now() - t0 < 5000, 'the server exits once stdin ends');
    for (let i = 0; i < 50 && heldLocks(s).length > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(heldLocks(s), []);
    // A later CLI run takes the key at once and runs it afresh.
    const r = await s.cmWith(
      { CM_PAR_LOG: log },
      'run',
      'script',
      'par sleep _a _cached',
      '--env.CM_PAR_SLEEP=0',
      '-j',
      '-s',
      '--quiet',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(log, 'utf8'), /^start a /);
  });
});

/** A step command that records y = 2X and z = 10 - X (no shell words: one argv item each). */
const STEP = [
  'node',
  '-e',
  "require('fs').writeFileSync('cm-output.json', JSON.stringify({y: 2 * Number(process.env.X), z: 10 - Number(process.env.X)}))",
];

/** The tool's answer, or the refusal's message (a tool error or a rejected request). */
const outcome = (p) =>
  p.then(
    (r) => (r.isError ? text(r) : 'accepted'),
    (e) => e.message,
  );

describe('cm mcp: experiments', parallel, () => {
  test('tools with their schemas; run_experiment refused read-only and under --allow-run=TAGS', async () => {
    const s = await catalogSandbox('par-catalog');
    const { client } = await connect(s);
    try {
      const { tools } = await client.listTools();
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      const q = byName.query_experiments.inputSchema;
      assert.equal(q.additionalProperties, false);
      assert.equal(q.required, undefined);
      assert.equal(q.properties.filter.type, 'string');
      assert.match(q.properties.filter.description, /--where/);
      assert.equal(q.properties.pareto.anyOf.length, 2);
      assert.equal(q.properties.limit.type, 'integer');
      assert.equal(byName.query_experiments.annotations.readOnlyHint, true);
      const r = byName.run_experiment.inputSchema;
      assert.deepEqual(r.required, ['command']);
      assert.equal(r.additionalProperties, false);
      assert.equal(r.properties.command.type, 'array');
      assert.equal(r.properties.repeat.type, 'integer');
      assert.equal(r.properties.explore.type, 'object');
      assert.match(byName.run_experiment.description, /read-only/);

      const refused = await client.callTool({
        name: 'run_experiment',
        arguments: { name: 'mcp-sweep', command: STEP },
      });
      assert.ok(refused.isError);
      assert.match(text(refused), /run_experiment is disabled: this MCP server is read-only/);
      const unknown = await outcome(
        client.callTool({ name: 'query_experiments', arguments: { where: 'y > 1' } }),
      );
      assert.match(unknown, /Unrecognized key\(s\) in object: 'where'/);
      const badName = await outcome(
        client.callTool({ name: 'query_experiments', arguments: { name: '--all' } }),
      );
      assert.match(badName, /name may not start with - or @/);
      const none = await client.callTool({ name: 'query_experiments', arguments: {} });
      assert.ok(!none.isError, text(none));
      assert.deepEqual(json(none).rows, []);
    } finally {
      await client.close();
    }
    const tagged = await connect(s, '--allow-run=par,sleep');
    try {
      const r = await tagged.client.callTool({
        name: 'run_experiment',
        arguments: { name: 'mcp-sweep', command: STEP },
      });
      assert.ok(r.isError);
      assert.match(text(r), /only scripts tagged par,sleep, and an experiment's command/);
      assert.match(text(r), /bare --allow-run/);
    } finally {
      await tagged.client.close();
    }
  });

  test('run_experiment explores 3 points with progress; query_experiments filters and keeps the front', async () => {
    const s = await catalogSandbox('par-catalog');
    const { client } = await connect(s, '--allow-run');
    try {
      const progress = [];
      const r = await client.callTool(
        {
          name: 'run_experiment',
          arguments: { name: 'mcp-sweep', command: STEP, explore: { X: 'range(1,4)' } },
        },
        undefined,
        { onprogress: (p) => progress.push(p) },
      );
      assert.ok(!r.isError, text(r));
      assert.equal(json(r).steps, 3);
      assert.equal(json(r).failed, 0);
      assert.deepEqual(
        json(r)
          .rows.map((x) => [x.X, x.y, x.z])
          .sort(),
        [
          [1, 2, 9],
          [2, 4, 8],
          [3, 6, 7],
        ],
      );
      assert.ok(existsSync(join(json(r).run_path, 'cm-result.json')));
      assert.match(text(r), /3 step\(s\), 0 failed, 3 result\(s\)/);
      assert.ok(
        progress.some((p) => p.message === 'Experiment step: 3 out of 3'),
        JSON.stringify(progress),
      );
      assert.deepEqual(
        progress.map((p) => p.progress),
        progress.map((_, i) => i + 1),
      );
      // A second run, a list this time: both runs are rows of the experiment.
      const again = await client.callTool({
        name: 'run_experiment',
        arguments: { name: 'mcp-sweep', command: STEP, explore: { X: [4] } },
      });
      assert.ok(!again.isError, text(again));
      assert.equal(json(again).rows.length, 1);

      const all = await client.callTool({
        name: 'query_experiments',
        arguments: { name: 'mcp-sweep' },
      });
      assert.ok(!all.isError, text(all));
      assert.equal(json(all).total, 4);
      assert.equal(json(all).experiments[0].runs.length, 2);
      const oneRun = await client.callTool({
        name: 'query_experiments',
        arguments: { name: 'mcp-sweep', run: json(r).run, limit: 2 },
      });
      assert.equal(json(oneRun).total, 3);
      assert.equal(json(oneRun).rows.length, 2);
      assert.equal(json(oneRun).truncated, true);

      const filtered = await client.callTool({
        name: 'query_experiments',
        arguments: { name: 'mcp-sweep', filter: 'y >= 4 && z > 6' },
      });
      assert.ok(!filtered.isError, text(filtered));
      assert.deepEqual(
        json(filtered)
          .rows.map((x) => x.X)
          .sort(),
        [2, 3],
      );
      assert.match(text(filtered), /2 row\(s\) from 1 experiment\(s\) where y >= 4 && z > 6/);

      const front = await client.callTool({
        name: 'query_experiments',
        arguments: { name: 'mcp-sweep', pareto: 'y:min,z:max' },
      });
      assert.ok(!front.isError, text(front));
      assert.deepEqual(
        json(front).rows.map((x) => x.X),
        [1],
      );
      assert.equal(json(front).dominated, 3);
      const tradeOff = await client.callTool({
        name: 'query_experiments',
        arguments: {
          derive: ['w = y + z'],
          filter: 'w > 11',
          pareto: [
            { key: 'y', goal: 'min' },
            { key: 'z', goal: 'min' },
          ],
        },
      });
      assert.ok(!tradeOff.isError, text(tradeOff));
      assert.deepEqual(
        json(tradeOff)
          .rows.map((x) => x.X)
          .sort(),
        [2, 3, 4],
      );

      const bad = await client.callTool({
        name: 'query_experiments',
        arguments: { name: 'mcp-sweep', filter: 'y. > 2' },
      });
      assert.ok(bad.isError);
      assert.match(text(bad), /--where: unexpected character "\." at column 2 of "y\. > 2"/);
      assert.equal(json(bad).code, 'bad-input');
      const badGoal = await client.callTool({
        name: 'query_experiments',
        arguments: { pareto: 'y:lowest' },
      });
      assert.ok(badGoal.isError);
      assert.match(text(badGoal), /--pareto/);
      const missing = await client.callTool({
        name: 'query_experiments',
        arguments: { name: 'no-such-exp' },
      });
      assert.ok(missing.isError);
      assert.equal(json(missing).code, 'artifact-not-found');
    } finally {
      await client.close();
    }
  });

  test('a cancelled run_experiment is killed: its run folder is no longer held', async () => {
    const s = await catalogSandbox('par-catalog');
    const { client } = await connect(s, '--allow-run');
    try {
      const abort = new AbortController();
      let runDir;
      let onStart;
      const started = new Promise((r) => (onStart = r));
      const call = client.callTool(
        {
          name: 'run_experiment',
          arguments: {
            tags: 'mcp,slow',
            command: [
              'node',
              '-e',
              "console.log('slow step started'); setTimeout(() => {}, 30000)",
            ],
          },
        },
        undefined,
        {
          signal: abort.signal,
          timeout: 60_000,
          onprogress: (p) => {
            const m = /^Path to experiment: (.*)$/.exec(p.message ?? '');
            if (m) runDir = m[1];
            if (p.message === 'slow step started') onStart();
          },
        },
      );
      await started;
      const lock = join(runDir, '.cm-sweep.lock');
      assert.ok(isHeld(lock), 'cme holds its run folder');
      abort.abort();
      await assert.rejects(call, /abort/i);
      for (let i = 0; i < 50 && isHeld(lock); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(isHeld(lock), false);
    } finally {
      await client.close();
    }
  });
});
