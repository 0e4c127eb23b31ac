// End-to-end: native execution and hooks of scripts (spec §10, §11, §12, acceptance scenarios H:
// S81–S92) plus --fake_run/--fake_deps, the -j result, --dry-run and per-script help.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parallel } from './helpers.js';
import { cacheEntries, logLines, scriptSandbox, uidOf } from './script-fixtures.js';

/** A sandbox whose scripts are made knowing its folder (for logs outside working folders). */
function sandboxWith(make) {
  const s = scriptSandbox({});
  s.writeScripts(make(s.dir));
  return s;
}

const logTo = (dir, text, name = 'log.txt') => `echo "${text}" >> "${join(dir, name)}"`;
/** customize.js source lines appending to the sandbox log. */
const jsLog = (dir, expr) =>
  `appendFileSync(${JSON.stringify(join(dir, 'log.txt'))}, ${expr} + '\\n');`;
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const tmpFilesIn = (dir) => readdirSync(dir).filter((f) => f.startsWith('tmp-'));

const SPEC_HOOK_KEYS = [
  'artifact',
  'automation',
  'customize',
  'env',
  'input',
  'meta',
  'os_info',
  'recursion_spaces',
  'run_script_input',
  'script_tags',
  'state',
  'variation_tags',
];

describe('script execution', parallel, () => {
  test('S81 the OS-specific run-<flavor>[-<version>].sh is chosen from CM_HOST_OS_FLAVOR/VERSION', async () => {
    const s = sandboxWith((d) => ({
      osx: {
        meta: { tags: ['t', 'osx'] },
        run: logTo(d, 'run.sh'),
        files: {
          'run-ubuntu.sh': `#!/bin/bash\n${logTo(d, 'run-ubuntu.sh')}\n`,
          'run-ubuntu-22.04.sh': `#!/bin/bash\n${logTo(d, 'run-ubuntu-22.04.sh')}\n`,
        },
      },
    }));
    for (const args of [
      ['--env.CM_HOST_OS_FLAVOR=ubuntu'],
      ['--env.CM_HOST_OS_FLAVOR=rhel'],
      [],
      ['--env.CM_HOST_OS_FLAVOR=ubuntu', '--env.CM_HOST_OS_VERSION=22.04'],
      ['--env.CM_HOST_OS_FLAVOR=ubuntu', '--env.CM_HOST_OS_VERSION=20.04'],
    ]) {
      const r = await s.run('t osx', ...args);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.deepEqual(logLines(s), [
      'run-ubuntu.sh',
      'run.sh',
      'run.sh',
      'run-ubuntu-22.04.sh',
      'run-ubuntu.sh',
    ]);
    s.cleanup();
  });

  test('S82 a script with hooks and no native script runs its hooks and writes no wrapper', async () => {
    const s = sandboxWith((d) => ({
      hooksonly: {
        meta: { tags: ['t', 'hooksonly'], new_env_keys: ['T_*'] },
        customize: [
          "import { appendFileSync } from 'node:fs';",
          `export function preprocess(i) { ${jsLog(d, "'preprocess'")} i.env.T_PRE = 'pre'; return { return: 0 }; }`,
          `export function postprocess(i) { ${jsLog(d, "'postprocess ' + i.env.T_PRE")} i.env.T_POST = 'post'; return { return: 0 }; }`,
        ].join('\n'),
      },
    }));
    const j = await s.runJ('t hooksonly');
    assert.deepEqual(logLines(s), ['preprocess', 'postprocess pre']);
    assert.equal(j.new_env.T_PRE, 'pre');
    assert.equal(j.new_env.T_POST, 'post');
    assert.deepEqual(tmpFilesIn(s.dir), []);
    s.cleanup();
  });

  test('S83 --ignore_script_error: a failing run.sh gives rc 0 and postprocess still runs', async () => {
    const s = sandboxWith((d) => ({
      failing: {
        meta: { tags: ['t', 'failing'] },
        run: 'echo "about to fail"\nexit 1',
        customize: [
          "import { appendFileSync } from 'node:fs';",
          `export function postprocess(i) { ${jsLog(d, "'postprocess'")} return { return: 0 }; }`,
        ].join('\n'),
      },
    }));
    const bad = await s.run('t failing');
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /exit status = 1\b/);
    assert.match(bad.stderr, /about to fail/);
    assert.deepEqual(logLines(s), []);
    const ok = await s.run('t failing', '--ignore_script_error');
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(logLines(s), ['postprocess']);
    s.cleanup();
  });

  test('S84 --debug_script_tags matching the script keeps tmp-run-without-cm.sh in the working folder', async () => {
    const s = scriptSandbox({ dbg: { meta: { tags: ['t', 'dbg'] }, run: 'echo hi' } });
    assert.equal((await s.run('t dbg', '--debug_script_tags=other')).code, 0);
    assert.ok(!existsSync(join(s.dir, 'tmp-run-without-cm.sh')));
    const r = await s.run('t dbg', '--debug_script_tags=t,dbg');
    assert.equal(r.code, 0, r.stderr);
    const kept = join(s.dir, 'tmp-run-without-cm.sh');
    assert.ok(existsSync(kept), readdirSync(s.dir).join(','));
    assert.ok(readFileSync(kept, 'utf8').includes(`. "${s.local('script', 'dbg', 'run.sh')}"`));
    s.cleanup();
  });

  test('S85 --outdirname: run.sh runs in the (created) folder and CM_OUTDIRNAME is absolute', async () => {
    const s = sandboxWith((d) => ({
      outd: { meta: { tags: ['t', 'outd'] }, run: logTo(d, '$PWD $CM_OUTDIRNAME') },
    }));
    assert.equal((await s.run('t outd', '--outdirname=out')).code, 0);
    const out = join(s.dir, 'out');
    assert.ok(existsSync(out));
    const abs = join(s.dir, 'abs', 'deeper');
    assert.equal((await s.run('t outd', `--outdirname=${abs}`)).code, 0);
    assert.deepEqual(logLines(s), [`${out} ${out}`, `${abs} ${abs}`]);
    s.cleanup();
  });

  test('S87 hooks get the documented input keys; env is live; detect_version gets no run_script_input', async () => {
    const s = sandboxWith((d) => ({
      keys: {
        meta: {
          tags: ['t', 'keys'],
          customize: { k: 1 },
          variations: { a: {}, b: { default: true, group: 'g' } },
          new_env_keys: ['T_*'],
        },
        run: [logTo(d, 'run T_FROM_PRE=$T_FROM_PRE'), 'echo "tool 1.2.3" > tmp-ver.out'].join('\n'),
        files: { 'ver.sh': '#!/bin/bash\necho "tool 4.5.6" > tmp-ver.out\n' },
        customize: String.raw`
import { writeFileSync } from 'node:fs';
const out = ${JSON.stringify(d)};
function dump(name, i) {
  writeFileSync(out + '/' + name + '.json', JSON.stringify({
    keys: Object.keys(i).sort(),
    artifact_path: i.artifact?.path,
    customize: i.customize,
    script_tags: i.script_tags,
    variation_tags: i.variation_tags,
    platform: i.os_info?.platform,
    input_tags: i.input?.tags ?? i.input?.artifact,
    meta_alias: i.meta?.alias,
    has_rsi: i.run_script_input !== undefined,
  }));
}
export async function preprocess(i) {
  dump('preprocess', i);
  i.env.T_FROM_PRE = 'live';
  const r = await i.automation.run_native_script({ run_script_input: i.run_script_input, env: i.env, script_name: 'ver', detect_version: true });
  if (r.return > 0) return r;
  i.env.T_DETECTED = r.version;
  return { return: 0 };
}
export function detect_version(i) {
  dump('detect_version', i);
  const r = i.automation.parse_version({ match_text: 'tool\\s+([\\d.]+)', group_number: 1, env_key: 'T_VER', which_env: i.env });
  if (r.return > 0) return r;
  return { return: 0, version: r.version };
}
export function postprocess(i) {
  dump('postprocess', i);
  return { return: 0 };
}
`,
      },
    }));
    const j = await s.runJ('t keys _a');
    assert.deepEqual(logLines(s), ['run T_FROM_PRE=live']);
    assert.equal(j.new_env.T_DETECTED, '4.5.6');
    for (const hook of ['preprocess', 'postprocess']) {
      const got = readJson(join(s.dir, `${hook}.json`));
      for (const k of SPEC_HOOK_KEYS)
        assert.ok(got.keys.includes(k), `${hook}: ${k} in ${got.keys}`);
      const extra = got.keys.filter((k) => !SPEC_HOOK_KEYS.includes(k));
      assert.ok(
        extra.every((k) => k === 'const'),
        `${hook}: unexpected keys ${extra}`,
      );
      assert.equal(got.artifact_path, s.local('script', 'keys'));
      assert.deepEqual(got.customize, { k: 1 });
      assert.deepEqual(got.script_tags, ['t', 'keys']);
      assert.deepEqual(got.variation_tags, ['a']);
      assert.equal(got.platform, 'linux');
      assert.equal(got.meta_alias, 'keys');
      assert.equal(got.has_rsi, true);
    }
    const dv = readJson(join(s.dir, 'detect_version.json'));
    assert.ok(!dv.keys.includes('run_script_input'), dv.keys.join(','));
    for (const k of SPEC_HOOK_KEYS.filter((k) => k !== 'run_script_input'))
      assert.ok(dv.keys.includes(k), `detect_version: ${k}`);
    s.cleanup();
  });

  test('S88 run_native_script runs install.sh in the working folder with the env and merges its outputs', async () => {
    const s = sandboxWith((d) => ({
      inst: {
        meta: { tags: ['t', 'inst'], new_env_keys: ['T_*', 'INSTALLED'] },
        run: logTo(d, 'run INSTALLED=$INSTALLED'),
        files: {
          'install.sh': `#!/bin/bash\n${logTo(d, 'install $PWD $T_IN')}\necho "INSTALLED=yes" > tmp-run-env.out\n`,
          'broken.sh': '#!/bin/bash\necho "broken output"\nexit 4\n',
        },
        customize: String.raw`
export async function preprocess(i) {
  i.env.T_IN = 'from-pre';
  const name = i.env.T_SCRIPT || 'install';
  const r = await i.automation.run_native_script({ run_script_input: i.run_script_input, env: i.env, script_name: name });
  if (r.return > 0) return r;
  i.env.T_AFTER = i.env.INSTALLED;
  return { return: 0 };
}
`,
      },
    }));
    const j = await s.runJ('t inst');
    assert.equal(j.new_env.INSTALLED, 'yes');
    assert.equal(j.new_env.T_AFTER, 'yes');
    assert.deepEqual(logLines(s), [`install ${s.dir} from-pre`, 'run INSTALLED=yes']);
    const broken = await s.run('t inst', '--env.T_SCRIPT=broken');
    assert.equal(broken.code, 2, broken.stderr);
    assert.match(broken.stderr, /exit status = 4/);
    assert.match(broken.stderr, /broken output/);
    const missing = await s.run('t inst', '--env.T_SCRIPT=nosuch');
    assert.equal(missing.code, 16, missing.stderr);
    assert.match(missing.stderr, /nosuch/);
    assert.equal(logLines(s).length, 2, 'run.sh did not run after the failures');
    s.cleanup();
  });

  test('S89 an error returned or thrown by a hook is the result of the run (rc and message); no native run', async () => {
    const s = sandboxWith((d) => ({
      boom: {
        meta: { tags: ['t', 'boom'] },
        run: logTo(d, 'run'),
        customize: String.raw`
export function preprocess(i) {
  if (i.env.T_MODE === 'throw') throw new Error('kaput');
  if (i.env.T_MODE === 'rc5') return { return: 5, error: 'five' };
  if (i.env.T_MODE === 'none') return { return: 0 };
  return { return: 1, error: 'boom' };
}
export function postprocess(i) {
  if (i.env.T_MODE === 'none') return { return: 3, error: 'late failure' };
  return { return: 0 };
}
`,
      },
    }));
    const r = await s.cm('run', 'script', 't boom', '--quiet', '-j', '-s');
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.json().return, 1);
    assert.match(r.json().error, /boom/);
    const text = await s.run('t boom');
    assert.equal(text.code, 1);
    assert.match(text.stderr, /boom/);
    const five = await s.run('t boom', '--env.T_MODE=rc5');
    assert.equal(five.code, 5, five.stderr);
    assert.match(five.stderr, /five/);
    const thrown = await s.run('t boom', '--env.T_MODE=throw');
    assert.ok(thrown.code > 0, thrown.stderr);
    assert.match(thrown.stderr, /kaput/);
    assert.deepEqual(logLines(s), [], 'run.sh never ran');
    const late = await s.run('t boom', '--env.T_MODE=none');
    assert.equal(late.code, 3, late.stderr);
    assert.match(late.stderr, /late failure/);
    assert.deepEqual(logLines(s), ['run']);
    s.cleanup();
  });

  test('S90 cm add script makes _cm.yaml (cache false), run.sh and customize.js from the template; it runs', async () => {
    const s = scriptSandbox({});
    const r = await s.cm('add', 'script', 't-new', '--tags=t,new', '-j');
    assert.equal(r.code, 0, r.stderr);
    const dir = s.local('script', 't-new');
    assert.equal(r.json().path, dir);
    for (const f of ['_cm.yaml', 'run.sh', 'customize.js'])
      assert.ok(existsSync(join(dir, f)), `${f} in ${readdirSync(dir)}`);
    const yaml = readFileSync(join(dir, '_cm.yaml'), 'utf8');
    assert.match(yaml, /cache: false/);
    assert.match(yaml, /alias: t-new/);
    assert.match(yaml, /uid: [0-9a-f]{16}/);
    assert.match(yaml, /- t\n\s*- new|tags: \[t, new\]/);
    const run = await s.run('t new');
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes(`Running ${dir}/run.sh`), run.stdout);
    assert.deepEqual(cacheEntries(s), []);
    const noTags = await s.cm('add', 'script', 't-other');
    assert.ok(noTags.code > 0);
    assert.ok(!existsSync(s.local('script', 't-other')));
    s.cleanup();
  });

  test('S91 docker guard: inside a container docker.run false skips the script, real_run false fakes it', async () => {
    const s = sandboxWith((d) => ({
      norun: {
        meta: {
          tags: ['t', 'norun'],
          docker: { run: false },
          new_env_keys: ['T_*'],
          env: { T_X: '1' },
        },
        run: logTo(d, 'norun'),
      },
      noreal: {
        meta: { tags: ['t', 'noreal'], docker: { real_run: false } },
        run: logTo(d, 'noreal'),
      },
    }));
    const skipped = await s.runJ('t norun', '--env.CM_RUN_STATE_DOCKER=yes');
    assert.equal(skipped.skipped, true);
    assert.deepEqual(skipped.new_env, {});
    const fake = await s.runJ('t noreal', '--env.CM_RUN_STATE_DOCKER=yes');
    assert.equal(fake.return, 0);
    assert.deepEqual(logLines(s), []);
    // outside a container both run
    await s.runJ('t norun');
    await s.runJ('t noreal');
    assert.deepEqual(logLines(s), ['norun', 'noreal']);
    s.cleanup();
  });

  test('S92 a top-level run in a read-only folder returns 1 "is not writable"', async (t) => {
    const s = scriptSandbox({ echo: { meta: { tags: ['t', 'echo'] }, run: 'echo hi' } });
    const ro = join(s.dir, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    let writable = false;
    try {
      writeFileSync(join(ro, 'probe'), 'x');
      rmSync(join(ro, 'probe'));
      writable = true;
    } catch {
      // not writable: the expected case
    }
    const r = await s.cmIn(ro, 'run', 'script', 't echo', '--quiet');
    chmodSync(ro, 0o755);
    if (writable && process.getuid?.() === 0) {
      t.skip('running as root: the folder is writable despite its mode');
      s.cleanup();
      return;
    }
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /is not writable/);
    s.cleanup();
  });

  test('S47 --fake_deps records deps without running them; --fake_run runs deps but not the script, no cache entry', async () => {
    const s = sandboxWith((d) => ({
      child: { meta: { tags: ['t', 'child'] }, run: logTo(d, 'child') },
      parent: {
        meta: { tags: ['t', 'parent'], cache: true, deps: [{ tags: 't,child' }] },
        run: logTo(d, 'parent'),
        customize: [
          "import { appendFileSync } from 'node:fs';",
          `export function preprocess(i) { ${jsLog(d, "'preprocess'")} return { return: 0 }; }`,
          `export function postprocess(i) { ${jsLog(d, "'postprocess'")} return { return: 0 }; }`,
        ].join('\n'),
      },
    }));
    const fr = await s.runJ('t parent', '--fake_run');
    assert.deepEqual(fr.deps, ['t,child']);
    assert.deepEqual(logLines(s), ['child']);
    assert.deepEqual(cacheEntries(s), []);
    assert.equal(fr.cache_entry, undefined);
    const prep = await s.cm('prepare', 'script', 't parent', '--quiet', '-j', '-s');
    assert.equal(prep.code, 0, prep.stderr);
    assert.deepEqual(logLines(s), ['child', 'child']);
    assert.deepEqual(cacheEntries(s), []);
    const fd = await s.runJ('t parent', '--fake_deps', '--skip_cache');
    assert.deepEqual(fd.deps, ['t,child']);
    assert.deepEqual(logLines(s), ['child', 'child', 'preprocess', 'parent', 'postprocess']);
    s.cleanup();
  });

  test('-j result keys: return, env, new_env, state, new_state, deps, version, cache_entry, tree', async () => {
    const s = scriptSandbox({
      jdep: { meta: { tags: ['t', 'jdep'] }, run: 'true' },
      jkeys: {
        meta: {
          tags: ['t', 'jkeys'],
          cache: true,
          new_env_keys: ['T_*'],
          deps: [{ tags: 't,jdep' }],
        },
        run: 'echo "T_OUT=1" > tmp-run-env.out',
      },
    });
    const j = await s.runJ('t jkeys', '--version=1.2');
    for (const k of [
      'return',
      'env',
      'new_env',
      'state',
      'new_state',
      'deps',
      'version',
      'cache_entry',
      'tree',
    ])
      assert.ok(k in j, `${k} in ${Object.keys(j)}`);
    assert.equal(j.return, 0);
    assert.deepEqual(j.new_env, { T_OUT: '1' });
    assert.equal(j.env.T_OUT, '1');
    assert.deepEqual(j.deps, ['t,jdep']);
    assert.equal(j.version, '1.2');
    assert.equal(j.cache_entry, cacheEntries(s)[0].path);
    assert.equal(j.tree.script, 'jkeys');
    assert.equal(j.tree.uid, uidOf('jkeys'));
    assert.equal(j.tree.status, 'ran');
    assert.deepEqual(
      j.tree.deps.map((x) => [x.script, x.status]),
      [['jdep', 'ran']],
    );
    const again = await s.runJ('t jkeys', '--version=1.2');
    assert.equal(again.tree.status, 'cached');
    assert.equal(again.cache_entry, j.cache_entry);
    s.cleanup();
  });

  test('--dry-run prints the plan with cached / will run / skipped markers and runs nothing', async () => {
    const s = sandboxWith((d) => ({
      cdep: { meta: { tags: ['t', 'cdep'], cache: true }, run: logTo(d, 'cdep') },
      fdep: { meta: { tags: ['t', 'fdep'], cache: true }, run: logTo(d, 'fdep') },
      sdep: { meta: { tags: ['t', 'sdep'] }, run: logTo(d, 'sdep') },
      planner: {
        meta: {
          tags: ['t', 'planner'],
          deps: [
            { tags: 't,cdep' },
            { tags: 't,fdep' },
            { tags: 't,sdep', enable_if_env: { T_WANT: ['yes'] } },
          ],
        },
        run: logTo(d, 'planner'),
      },
    }));
    const cdep = await s.runJ('t cdep');
    assert.deepEqual(logLines(s), ['cdep']);
    const r = await s.cm('run', 'script', 't planner', '--dry-run');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const lineOf = (name) => lines.find((l) => new RegExp(`(^|[ ─])${name}\\b`).test(l)) ?? '';
    assert.match(lineOf('planner'), /\[will run\]/, r.stdout);
    assert.match(lineOf('cdep'), /\[cached/, r.stdout);
    assert.ok(lineOf('cdep').includes(cdep.cache_entry), r.stdout);
    assert.match(lineOf('fdep'), /\[will run\]/, r.stdout);
    assert.match(
      lines.find((l) => l.includes('t,sdep') || l.includes('sdep')) ?? '',
      /\[skipped/,
      r.stdout,
    );
    assert.deepEqual(logLines(s), ['cdep'], 'nothing ran');
    assert.equal(cacheEntries(s).length, 1, 'no entry made');
    assert.deepEqual(tmpFilesIn(s.dir), []);
    const j = await s.cm('run', 'script', 't planner', '--dry-run', '-j', '-s');
    assert.equal(j.code, 0, j.stderr);
    const tree = j.json().tree;
    assert.deepEqual(
      tree.deps.map((x) => x.status),
      ['will-reuse', 'will-run', 'skipped'],
    );
    assert.equal(tree.status, 'will-run');
    assert.deepEqual(logLines(s), ['cdep']);
    s.cleanup();
  });

  test('cm help script NAME and run --help describe the script without running it', async () => {
    const s = sandboxWith((d) => ({
      helpme: {
        meta: {
          tags: ['t', 'helpme'],
          cache: true,
          default_version: '2.0.0',
          versions: { '1.0.0': {}, '2.0.0': {} },
          input_mapping: { color: 'T_COLOR' },
          input_description: { color: { desc: 'the colour', default: 'red' } },
          default_env: { T_COLOR: 'red' },
          deps: [{ tags: 'get,x', names: ['xx'] }],
          variations: { fp32: { group: 'prec', default: true }, fp16: { group: 'prec' }, onnx: {} },
        },
        run: logTo(d, 'ran'),
      },
    }));
    const r = await s.cm('help', 'script', 'helpme');
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout;
    assert.ok(out.includes(`Script "helpme" (uid ${uidOf('helpme')})`), out);
    assert.ok(out.includes(`Path: ${s.local('script', 'helpme')}`), out);
    assert.match(out, /Cached: yes/);
    assert.match(out, /group "prec"/);
    assert.match(out, /_fp32 {2}\(default/);
    assert.match(out, /_fp16/);
    assert.match(out, /_onnx/);
    assert.match(out, /--color\s+-> env T_COLOR\s+the colour \(default red\)/);
    assert.match(out, /Versions: 1\.0\.0, 2\.0\.0; default 2\.0\.0/);
    assert.match(out, /"get,x"; names xx/);
    const byTags = await s.cm('help', 'script', 't helpme');
    assert.equal(byTags.code, 0, byTags.stderr);
    assert.ok(byTags.stdout.includes('Script "helpme"'));
    const viaRun = await s.cm('run', 'script', 't helpme', '--help');
    assert.equal(viaRun.code, 0, viaRun.stderr);
    assert.ok(viaRun.stdout.includes('Script "helpme"'));
    assert.deepEqual(logLines(s), []);
    assert.deepEqual(cacheEntries(s), []);
    s.cleanup();
  });

  test('(clean Q5/Q6) env values reach run.sh literally; tmp-run-env.out is split at the first "="', async () => {
    const s = scriptSandbox({
      lit: {
        meta: {
          tags: ['t', 'lit'],
          new_env_keys: ['T_*'],
          env: { T_DOLLAR: '$HOME', T_TICK: 'a`echo b`c', T_QUOTE: 'say "hi" \\ back' },
        },
        run: [
          'printf "%s|%s|%s\\n" "$T_DOLLAR" "$T_TICK" "$T_QUOTE" > "$CM_TMP_CURRENT_PATH/lit.txt"',
          'echo "T_FROMRUN=hello=world" > tmp-run-env.out',
        ].join('\n'),
      },
    });
    const j = await s.runJ('t lit');
    assert.equal(
      readFileSync(join(s.dir, 'lit.txt'), 'utf8'),
      '$HOME|a`echo b`c|say "hi" \\ back\n',
    );
    assert.equal(j.new_env.T_FROMRUN, 'hello=world');
    s.cleanup();
  });

  test('--print_deps lists the direct deps; --print_env shows the env before the run; -v the debug lines; -s silences progress', async () => {
    const s = scriptSandbox({
      leaf: { meta: { tags: ['t', 'leaf'] }, run: 'true' },
      top: {
        meta: { tags: ['t', 'top'], env: { TOP_SETTING: 'on' }, deps: [{ tags: 't,leaf' }] },
        run: 'true',
      },
    });
    const p = await s.run('t top', '--print_deps');
    assert.equal(p.code, 0, p.stderr);
    assert.equal(p.stdout, 'cm run script --tags=t,leaf\n');
    const e = await s.run('t top', '--print_env');
    assert.match(e.stderr, /^TOP_SETTING=on$/m);
    assert.match(e.stderr, /^CM_TMP_CURRENT_SCRIPT_PATH=.*script\/top$/m);
    const v = await s.run('t top', '-v');
    assert.match(
      v.stderr,
      /\[script\] selected .*script\/top; variations \(none\); version \(none\)/,
    );
    const quiet = await s.run('t top', '-s');
    assert.equal(quiet.code, 0);
    assert.doesNotMatch(quiet.stderr, /cm run script|! call/);
    s.cleanup();
  });
});
