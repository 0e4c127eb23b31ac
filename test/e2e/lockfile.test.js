// Run lockfiles through the real CLI over a real git repo: --lock writes the resolved tree (repo
// commit, scripts, variations, versions, fingerprints), --frozen runs it or stops before anything
// runs and lists each difference, cm lock diff compares two, and hand-edited lockfiles are named
// with the key at fault.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, root, sandbox } from './helpers.js';

const yaml = (o) => JSON.stringify(o, null, 2);
const schemaFile = join(root, 'schema', 'cm-lockfile.schema.json');

/**
 * Problems of `value` against `schema` (the keywords the lockfile schema uses: type, const, enum,
 * required, properties, additionalProperties, items, $ref to #/$defs).
 */
function schemaProblems(schema, value, at = '$', top = schema) {
  if (schema.$ref) return schemaProblems(top.$defs[schema.$ref.split('/').pop()], value, at, top);
  const out = [];
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (schema.type && schema.type !== type) return [`${at}: ${type}, not ${schema.type}`];
  if ('const' in schema && value !== schema.const) out.push(`${at}: not ${schema.const}`);
  if (schema.enum && !schema.enum.includes(value)) out.push(`${at}: ${value} not in the enum`);
  if (type === 'object') {
    for (const k of schema.required ?? []) if (!(k in value)) out.push(`${at}.${k}: missing`);
    for (const [k, v] of Object.entries(value)) {
      const sub = schema.properties?.[k] ?? schema.additionalProperties;
      if (sub === false) out.push(`${at}.${k}: not in the schema`);
      else if (sub && sub !== true) out.push(...schemaProblems(sub, v, `${at}.${k}`, top));
    }
  }
  if (type === 'array' && schema.items)
    value.forEach((v, i) => out.push(...schemaProblems(schema.items, v, `${at}[${i}]`, top)));
  return out;
}
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** A git repo `lk-repo` (lk-app depends on lk-tool) registered in a fresh sandbox. */
async function lockSandbox() {
  const s = sandbox('cm-lock-');
  const repo = join(s.dir, 'lk-repo');
  const log = join(s.dir, 'ran.log');
  const run = (name) => `#!/bin/bash\necho "${name} $CM_TOOL_SPEED" >> "${log}"\n`;
  s.write({
    'lk-repo': {
      'cmr.yaml': 'alias: lk-repo\nuid: 1c0ffee000000001\n',
      script: {
        'lk-app': {
          '_cm.yaml': yaml({
            alias: 'lk-app',
            uid: '1c0ffee000000002',
            automation_alias: 'script',
            automation_uid: '5b4e0237da074764',
            tags: ['lk', 'app'],
            deps: [{ tags: 'lk,tool', names: ['lk-tool'] }],
          }),
          'run.sh': run('app'),
        },
        'lk-tool': {
          '_cm.yaml': yaml({
            alias: 'lk-tool',
            uid: '1c0ffee000000003',
            automation_alias: 'script',
            automation_uid: '5b4e0237da074764',
            tags: ['lk', 'tool'],
            cache: true,
            default_version: '1.0',
            variations: {
              fast: { group: 'speed', default: true, env: { CM_TOOL_SPEED: 'fast' } },
              slow: { group: 'speed', env: { CM_TOOL_SPEED: 'slow' } },
            },
          }),
          'run.sh': run('tool'),
        },
      },
    },
  });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'first');
  const imported = await s.cm('import', 'repo', `--path=${repo}`);
  assert.equal(imported.code, 0, imported.stderr);
  const ran = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);
  return { s, repo, ran };
}

function toolMeta(repo) {
  return join(repo, 'script', 'lk-tool', '_cm.yaml');
}

describe('run lockfiles', () => {
  test('--lock writes the resolved tree: the repo at its commit, scripts, variations, versions, fingerprints', async () => {
    const { s, repo } = await lockSandbox();
    const r = await s.cm(
      'run',
      'script',
      'lk app',
      '--lock=a.json',
      '--env.CM_LK_TOKEN=s3cr3t',
      '-s',
    );
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(join(s.dir, 'a.json'), 'utf8');
    assert.ok(!text.includes('s3cr3t'), 'a secret in the lockfile');
    const lock = JSON.parse(text);
    assert.equal(lock.cm_lockfile, 1);
    assert.equal(lock.planned, false);
    assert.deepEqual(lock.repos['lk-repo'], {
      alias: 'lk-repo',
      uid: '1c0ffee000000001',
      kind: 'registered',
      commit: git(repo, 'rev-parse', 'HEAD'),
      dirty: false,
    });
    assert.equal(lock.tree.script, 'lk-app');
    assert.equal(lock.tree.repo, 'lk-repo');
    const [tool] = lock.tree.deps;
    assert.deepEqual(
      [tool.asked, tool.script, tool.uid, tool.status, tool.version, tool.variations],
      ['lk,tool', 'lk-tool', '1c0ffee000000003', 'ran', '1.0', ['_fast']],
    );
    assert.match(tool.fingerprint, /^[0-9a-f]{16}$/);
    // The shipped JSON Schema describes it (and would catch a key written but not declared).
    const schema = readJson(schemaFile);
    assert.deepEqual(schemaProblems(schema, lock), []);
    assert.deepEqual(
      schemaProblems(schema, { ...lock, extra: 1, tree: { ...lock.tree, deps: [{}] } }),
      [
        '$.tree.deps[0].asked: missing',
        '$.tree.deps[0].status: missing',
        '$.tree.deps[0].deps: missing',
        '$.extra: not in the schema',
      ],
    );
  });

  test('--frozen runs an unchanged tree; a changed one stops before anything runs, naming each difference', async () => {
    const { s, repo, ran } = await lockSandbox();
    assert.equal((await s.cm('run', 'script', 'lk app', '--lock=a.json', '-s')).code, 0);
    const same = await s.cm('run', 'script', 'lk app', '--frozen=a.json', '-s');
    assert.equal(same.code, 0, same.stderr);
    assert.deepEqual(ran(), ['tool fast', 'app ', 'app ']);
    // Another variation asked for: a stop that says which.
    const slow = await s.cm(
      'run',
      'script',
      'lk app',
      '--frozen=a.json',
      '--adr.lk-tool.tags=_slow',
    );
    assert.equal(slow.code, 2, slow.stderr);
    assert.match(
      slow.stderr,
      /:\n {2}lk-app > lk-tool: asked for "lk,tool" → "lk,tool,_slow"\n {2}lk-app > lk-tool: variations _fast → _slow\n {2}hint:/,
    );
    const before = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(
      toolMeta(repo),
      readFileSync(toolMeta(repo), 'utf8').replace(
        '"default_version": "1.0"',
        '"default_version": "2.0"',
      ),
    );
    git(repo, 'commit', '-qam', 'tool 2.0');
    const after = git(repo, 'rev-parse', 'HEAD');
    const changed = await s.cm('run', 'script', 'lk app', '--frozen=a.json');
    assert.equal(changed.code, 2, changed.stderr);
    assert.match(changed.stderr, /would resolve differently from a\.json \(nothing was run\)/);
    assert.ok(changed.stderr.includes(`repo lk-repo: commit ${before} → ${after}`), changed.stderr);
    assert.match(changed.stderr, /lk-app > lk-tool: version 1\.0 → 2\.0/);
    assert.match(changed.stderr, /lk-app > lk-tool: the script's files changed/);
    assert.match(changed.stderr, /hint: .*--lock=FILE.*cm lock diff/);
    assert.deepEqual(ran(), ['tool fast', 'app ', 'app '], 'something ran');
    // An edit not committed is a difference of its own.
    writeFileSync(join(repo, 'script', 'lk-app', 'notes.txt'), 'edited\n');
    const dirty = await s.cm('run', 'script', 'lk app', '--frozen=a.json');
    assert.match(dirty.stderr, /repo lk-repo: has uncommitted changes \(it had none\)/);
  });

  test('cm lock diff lists what changed between two lockfiles, or says there is nothing', async () => {
    const { s, repo } = await lockSandbox();
    assert.equal((await s.cm('run', 'script', 'lk app', '--lock=a.json', '-s')).code, 0);
    const planned = await s.cm('run', 'script', 'lk app', '--dry-run', '--lock=plan.json');
    assert.equal(planned.code, 0, planned.stderr);
    assert.equal(readJson(join(s.dir, 'plan.json')).planned, true);
    const none = await s.cm('lock', 'diff', 'a.json', 'plan.json', '--exit-code');
    assert.deepEqual([none.code, none.stdout], [0, 'no differences\n']);
    writeFileSync(join(repo, 'script', 'lk-tool', 'run.sh'), '#!/bin/bash\necho changed\n');
    git(repo, 'commit', '-qam', 'tool script');
    assert.equal((await s.cm('run', 'script', 'lk app', '--lock=b.json', '-s')).code, 0);
    const diff = await s.cm('lock', 'diff', 'a.json', 'b.json');
    assert.equal(diff.code, 0, diff.stderr);
    const lines = diff.stdout.trim().split('\n');
    assert.equal(lines.length, 2, diff.stdout);
    assert.match(lines[0], /^repo lk-repo: commit [0-9a-f]{40} → [0-9a-f]{40}$/);
    assert.match(lines[1], /^lk-app > lk-tool: the script's files changed/);
    assert.equal((await s.cm('lock', 'diff', 'a.json', 'b.json', '--exit-code')).code, 1);
    const json = await s.cm('lock', 'diff', 'a.json', 'b.json', '-j');
    assert.deepEqual(JSON.parse(json.stdout).differences, lines);
  });

  test('a downloaded file is locked by its sha256: other bytes at the same URL fail the frozen run', async () => {
    const { s } = await lockSandbox();
    const data = join(s.dir, 'data.bin');
    writeFileSync(data, 'the first bytes\n');
    const url = `file://${data}`;
    const first = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${url}`,
      '--lock=d.json',
      '-s',
    );
    assert.equal(first.code, 0, first.stderr);
    const lock = readJson(join(s.dir, 'd.json'));
    assert.deepEqual(lock.tree.downloads, [
      {
        file: 'data.bin',
        url,
        sha256: createHash('sha256').update('the first bytes\n').digest('hex'),
        path: data,
      },
    ]);
    assert.deepEqual(schemaProblems(readJson(schemaFile), lock), []);
    const again = await s.cm(
      'run',
      'script',
      'download file',
      `--url=${url}`,
      '--frozen=d.json',
      '-s',
    );
    assert.equal(again.code, 0, again.stderr);
    writeFileSync(data, 'other bytes\n');
    const other = await s.cm('run', 'script', 'download file', `--url=${url}`, '--frozen=d.json');
    assert.equal(other.code, 2, other.stderr);
    assert.match(
      other.stderr,
      /the run resolved differently from d\.json:\n {2}download-file: downloaded data\.bin differs \(sha256 [0-9a-f]{64} → [0-9a-f]{64}\)/,
    );
  });

  test('--repro writes cm-lock.json and a README-repro.md whose commands run the same tree', async () => {
    const { s, repo } = await lockSandbox();
    git(repo, 'remote', 'add', 'origin', 'file:///srv/git/lk-repo.git');
    const r = await s.cm('run', 'script', 'lk app', '--adr.lk-tool.tags=_slow', '--repro', '-s');
    assert.equal(r.code, 0, r.stderr);
    for (const f of ['cm-output.json', 'cm-lock.json', 'README-repro.md'])
      assert.ok(existsSync(join(s.dir, f)), f);
    const readme = readFileSync(join(s.dir, 'README-repro.md'), 'utf8');
    const commit = git(repo, 'rev-parse', 'HEAD');
    assert.ok(
      readme.includes(`\`cm pull repo file:///srv/git/lk-repo.git --checkout=${commit}\``),
      readme,
    );
    assert.match(readme, /\| lk-tool \| lk-app \| _slow \| 1\.0 \| lk-repo \|/);
    const command = /```sh\n(.*)\n```/.exec(readme)[1];
    assert.equal(command, "cm run script 'lk app' --adr.lk-tool.tags=_slow --frozen=cm-lock.json");
    // The command as written runs here (the words a shell would pass).
    const again = await s.cm(
      'run',
      'script',
      'lk app',
      '--adr.lk-tool.tags=_slow',
      '--frozen=cm-lock.json',
      '-s',
    );
    assert.equal(again.code, 0, again.stderr);
  });

  test('a hand-edited or foreign lockfile is named with the key at fault; a missing repo says how to get it', async () => {
    const { s } = await lockSandbox();
    assert.equal((await s.cm('run', 'script', 'lk app', '--lock=a.json', '-s')).code, 0);
    const good = readJson(join(s.dir, 'a.json'));
    const cases = [
      ['{ "cm_lockfile": 1,', /bad\.json: not JSON/],
      [
        JSON.stringify({ ...good, cm_lockfile: 9 }),
        /bad\.json: cm_lockfile: schema version 9 is not supported/,
      ],
      [
        JSON.stringify({
          ...good,
          tree: { ...good.tree, deps: [{ ...good.tree.deps[0], script: 5 }] },
        }),
        /bad\.json: tree\.deps\[0\]\.script: must be a string \(found 5\)/,
      ],
      [
        JSON.stringify({ ...good, tree: { ...good.tree, repo: 'elsewhere' } }),
        /bad\.json: tree\.repo: "elsewhere" is not one of the lockfile's repos/,
      ],
    ];
    for (const [text, message] of cases) {
      writeFileSync(join(s.dir, 'bad.json'), text);
      const r = await s.cm('run', 'script', 'lk app', '--frozen=bad.json');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, message);
      const d = await s.cm('lock', 'diff', 'a.json', 'bad.json');
      assert.match(d.stderr, message);
    }
    const gone = {
      ...good,
      repos: {
        ...good.repos,
        'org@gone': {
          alias: 'org@gone',
          uid: '',
          kind: 'registered',
          url: 'file:///srv/gone.git',
          commit: 'abc123',
        },
      },
    };
    writeFileSync(join(s.dir, 'gone.json'), JSON.stringify(gone));
    const missing = await s.cm('run', 'script', 'lk app', '--frozen=gone.json');
    assert.equal(missing.code, 16, missing.stderr);
    assert.match(missing.stderr, /repo org@gone, which gone\.json locks, is not registered here/);
    assert.match(missing.stderr, /hint: cm pull repo file:\/\/\/srv\/gone\.git --checkout=abc123/);
    assert.match(missing.stderr, /without network: cm bundle install B\.tar/);
    const noFile = await s.cm('run', 'script', 'lk app', '--lock');
    assert.match(noFile.stderr, /--lock needs a file: --lock=FILE/);
    const one = await s.cm('lock', 'diff', 'a.json');
    assert.match(one.stderr, /cm lock diff needs two lockfiles \(found 1\)/);
  });
});
