// cm lint script through the real CLI: one meta per rule in a temp repo, each problem named by
// file:line:col, rule and severity; exit 1 on errors, 0 on warnings alone; --format=json; mlc lint
// script; the fixture catalogs lint clean; cm add script writes the schema line editors read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel, root, sandbox } from './helpers.js';
import { catalogSandbox, uidOf } from './script-fixtures.js';

const head = (alias) => `alias: ${alias}\nuid: ${uidOf(alias)}\n`;

/** One script per rule, as YAML text so that the lines are known (line 1 is the alias). */
const SCRIPTS = {
  'base-tool': `${head('base-tool')}tags: [base, tool]
cache: true
env:
  BT_PATH: /opt/bt
new_env_keys: [BT_PATH]
deps:
- tags: base,helper
  names: [helper]
`,
  'base-helper': `${head('base-helper')}tags: [base, helper]\n`,
  'bad-key': `${head('bad-key')}tags: [lint, bad-key]
cahce: true
cache_expiration: 1h
deps:
- tags: base,tool
  skip_if_envv: {X: [y]}
`,
  'bad-type': `${head('bad-type')}tags: [lint, bad-type]
deps: base,tool
cache: maybe
`,
  'dup-key': `${head('dup-key')}tags: [lint, dup-key]
cache: true
cache: false
`,
  'bad-variation': `${head('bad-variation')}tags: [lint, bad-variation]
variations:
  fp32:
    group: precision
    base: [onnxx]
  onnx:
    default_variations:
      precison: fp32
`,
  'bad-dep': `${head('bad-dep')}tags: [lint, bad-dep]
deps:
- tags: base,tool
- tags: no,such,script,_v1
`,
  'bad-adr': `${head('bad-adr')}tags: [lint, bad-adr]
deps:
- tags: base,tool
  names: [tool]
adr:
  helper: {version: '1'}
  nosuchname: {version: '1'}
`,
  'unset-env': `${head('unset-env')}tags: [lint, unset-env]
new_env_keys:
- UNSET_NEVER
- BT_*
- SET_IN_RUN_SH
deps:
- tags: base,tool
`,
  broken: `${head('broken')}tags: [lint, broken\n`,
};

function lintSandbox() {
  const s = sandbox('cm-lint-');
  for (const [alias, text] of Object.entries(SCRIPTS))
    s.write({ '_cm.yaml': text }, s.local('script', alias));
  s.write({ 'run.sh': 'echo SET_IN_RUN_SH=1 > tmp-run-env.out\n' }, s.local('script', 'unset-env'));
  return s;
}

/** `file:line:col: severity rule` of each printed problem, the file as repo/script/NAME/_cm.yaml. */
function problems(stdout) {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const m = /^(.*)\/script\/([^/]+)\/_cm\.yaml:(\d+):(\d+): (error|warning) ([a-z-]+) /.exec(l);
      assert.ok(m, `unexpected line: ${l}`);
      return `${m[2]}:${m[3]}:${m[4]} ${m[5]} ${m[6]}`;
    });
}

describe('cm lint script', parallel, () => {
  test('names each problem by file:line:col, rule and severity, and exits 1 on errors', async () => {
    const s = lintSandbox();
    const r = await s.cm('lint', 'script');
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(problems(r.stdout), [
      'bad-adr:9:3 error unknown-dep-name',
      'bad-dep:6:3 error unknown-dep-tags',
      'bad-key:4:1 error unknown-key',
      'bad-key:5:1 error unknown-key',
      'bad-key:8:3 error unknown-key',
      'bad-type:4:1 error wrong-type',
      'bad-type:5:1 error wrong-type',
      'bad-variation:7:12 error unknown-variation',
      'bad-variation:10:7 error unknown-variation',
      'broken:4:1 error parse-error',
      'dup-key:5:1 error duplicate-key',
      'unset-env:5:3 warning unset-new-env-key',
    ]);
    assert.match(r.stdout, /unknown key "cahce" in the meta: did you mean cache\?/);
    assert.match(r.stdout, /unknown key "skip_if_envv" in deps\[0\]: did you mean skip_if_env\?/);
    assert.match(r.stdout, /cache_expiration is read by MLC \(meta\.yaml\) only, not by CM/);
    assert.match(r.stdout, /deps must be a list \(found a string "base,tool"\)/);
    assert.match(r.stdout, /cache must be true or false \(found a string "maybe"\)/);
    assert.match(
      r.stdout,
      /names variation "onnxx", which this script does not define: did you mean onnx\?/,
    );
    assert.match(
      r.stdout,
      /names group "precison", which no variation of this script has: did you mean precision\?/,
    );
    assert.match(r.stdout, /no script in the registered repos has the tags no,such,script/);
    assert.match(r.stdout, /adr names "nosuchname"/);
    assert.match(r.stdout, /nothing sets UNSET_NEVER/);
    assert.match(r.stderr, /CM error: 10 script metas: 11 errors, 1 warning/);
  });

  test('a clean meta exits 0 and prints no problem; warnings alone exit 0', async () => {
    const s = lintSandbox();
    const clean = await s.cm('lint', 'script', 'base-tool', 'base-helper');
    assert.equal(clean.code, 0, clean.stderr);
    assert.equal(clean.stdout, '');
    assert.match(clean.stderr, /2 script metas: 0 errors, 0 warnings/);
    const warned = await s.cm('lint', 'script', '--tags=lint,unset-env');
    assert.equal(warned.code, 0, warned.stderr);
    assert.deepEqual(problems(warned.stdout), ['unset-env:5:3 warning unset-new-env-key']);
  });

  test('--format=json gives the problems and the counts per rule as one JSON object', async () => {
    const s = lintSandbox();
    const r = await s.cm('lint', 'script', 'dup-key', 'bad-dep', '--format=json');
    assert.equal(r.code, 1);
    const j = r.json();
    assert.equal(j.files, 2);
    assert.deepEqual(j.counts, { 'duplicate-key': 1, 'unknown-dep-tags': 1 });
    assert.deepEqual(
      j.problems.map((p) => [p.file.split('/').slice(-2).join('/'), p.line, p.col, p.rule]),
      [
        ['bad-dep/_cm.yaml', 6, 3, 'unknown-dep-tags'],
        ['dup-key/_cm.yaml', 5, 1, 'duplicate-key'],
      ],
    );
    const bad = await s.cm('lint', 'script', '--format=xml');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unknown --format=xml/);
  });

  test('a misspelled flag is refused, and mlc lint script does the same as cm lint script', async () => {
    const s = lintSandbox();
    const typo = await s.cm('lint', 'script', '--formt=json');
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /did you mean --format\?/);
    const mlc = await s.bin('mlc', 'lint', 'script', 'dup-key');
    assert.equal(mlc.code, 1, mlc.stderr);
    assert.deepEqual(problems(mlc.stdout), ['dup-key:5:1 error duplicate-key']);
  });

  test('JSON metas are located too', async () => {
    const s = sandbox('cm-lint-json-');
    s.write(
      {
        '_cm.json':
          '{\n  "alias": "j",\n  "tags": ["j"],\n  "cache": "often",\n  "cache": true,\n  "deps": {"tags": "j"}\n}\n',
      },
      s.local('script', 'j'),
    );
    const r = await s.cm('lint', 'script', 'j');
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(
      lines.map((l) => /\/script\/j\/(_cm\.json:\d+:\d+: \w+ [a-z-]+) /.exec(l)?.[1]),
      ['_cm.json:5:3: error duplicate-key', '_cm.json:6:3: error wrong-type'],
    );
  });

  test('the fixture catalogs (CM and MLC formats) lint without a problem', async () => {
    for (const name of ['cm-catalog', 'mlc-catalog']) {
      const s = await catalogSandbox(name);
      const r = await s.cm('lint', 'script', '--format=json');
      assert.equal(r.code, 0, `${name}: ${r.stdout}${r.stderr}`);
      assert.ok(r.json().files > 5, name);
      assert.deepEqual(r.json().problems, [], name);
    }
  });

  test('cm add script points editors at the shipped schema, and the new script lints clean', async () => {
    const s = sandbox('cm-lint-add-');
    const add = await s.cm('add', 'script', 'get-my-tool', '--tags=get,my-tool');
    assert.equal(add.code, 0, add.stderr);
    const yaml = readFileSync(s.local('script', 'get-my-tool', '_cm.yaml'), 'utf8');
    const schema = join(root, 'schema', 'script-meta.schema.json');
    assert.equal(yaml.split('\n')[0], `# yaml-language-server: $schema=${schema}`);
    assert.ok(existsSync(schema));
    const j = JSON.parse(readFileSync(schema, 'utf8'));
    assert.equal(j.$schema, 'https://json-schema.org/draft/2020-12/schema');
    const r = await s.cm('lint', 'script', 'get-my-tool');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
  });
});
