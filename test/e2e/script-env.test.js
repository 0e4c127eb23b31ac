// End-to-end: inputs, env and const precedence (spec §5, scenarios S26–S33) and what a run
// exports: new_env_keys, +KEY lists, tmp-run-env.out, state, tmp-run.sh, cleanup (§7, §10, S50–S56).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel } from './helpers.js';
import { scriptSandbox } from './script-fixtures.js';

/** Lines of the sandbox's log.txt ([] when nothing was logged). */
function logLines(s) {
  const p = join(s.dir, 'log.txt');
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
}

function tmpFiles(dir) {
  return readdirSync(dir)
    .filter((f) => f.startsWith('tmp-'))
    .sort();
}

/** Meta `H` of section C. */
const H = {
  tags: ['h'],
  default_env: { T_A: 'defA', T_D: 'defD' },
  env: { T_B: 'envB' },
  input_mapping: { a: 'T_A', b: 'T_B' },
  new_env_keys: ['T_*', '+TPATH'],
};
const H_RUN = 'echo "$T_A $T_B $T_D" >> log.txt';

/** `cm run script ARGS --quiet -j -s` with extra process env; the parsed result. */
async function runJWith(s, env, ...args) {
  const r = await s.cmWith(env, 'run', 'script', ...args, '--quiet', '-j', '-s');
  assert.equal(r.code, 0, r.stderr);
  return r.json();
}

describe('cm run script: inputs, env and const', parallel, () => {
  test('S26: input mapping beats default_env, meta env beats --env, --env beats default_env', async () => {
    const s = scriptSandbox({ h: { meta: H, run: H_RUN } });
    const r = await s.runJ('h', '--a=cliA', '--env.T_B=cliB', '--env.T_D=cliD');
    assert.deepEqual(r.new_env, { T_A: 'cliA', T_B: 'envB', T_D: 'cliD' });
    // The process environment is the lowest layer: default_env wins over it in tmp-run.sh.
    const p = await runJWith(s, { T_A: 'proc', T_D: 'proc' }, 'h');
    assert.deepEqual(p.new_env, { T_A: 'defA', T_B: 'envB', T_D: 'defD' });
    assert.deepEqual(logLines(s), ['cliA envB cliD', 'defA envB defD']);
    s.cleanup();
  });

  test('S27: --const beats the meta env', async () => {
    const s = scriptSandbox({ h: { meta: H, run: H_RUN } });
    const r = await s.runJ('h', '--const.T_B=constB', '--const.T_NEW=n');
    assert.deepEqual(r.new_env, { T_A: 'defA', T_B: 'constB', T_D: 'defD', T_NEW: 'n' });
    assert.deepEqual(logLines(s), ['defA constB defD']);
    s.cleanup();
  });

  test('§5.2: variation env > meta env; dep exports > meta env; const > preprocess and run outputs', async () => {
    const s = scriptSandbox({
      d: { meta: { tags: ['dep52'], env: { T_DEP: 'dep' }, new_env_keys: ['T_DEP'] } },
      h: {
        meta: {
          ...H,
          env: { T_B: 'envB', T_DEP: 'meta' },
          deps: [{ tags: 'dep52' }],
          new_state_keys: ['seen_*'],
          variations: { v: { env: { T_B: 'varB' }, default_env: { T_D: 'varD' } } },
        },
        run: 'echo "$T_B $T_D $T_DEP" >> log.txt; echo T_B=fromrun > tmp-run-env.out',
        customize: `export function preprocess(i) {
  i.env.T_B = 'pre';
  return { return: 0 };
}
export function postprocess(i) {
  i.state.seen_in_post = i.env.T_B;
  return { return: 0 };
}
`,
      },
    });
    const v = await s.runJ('h', '--tags=_v', '--env.T_D=cliD');
    assert.equal(v.new_env.T_B, 'fromrun');
    assert.equal(v.new_env.T_D, 'cliD', 'a variation default_env does not override --env');
    assert.equal(v.new_env.T_DEP, 'dep');
    assert.equal(v.new_state.seen_in_post, 'fromrun', 'postprocess sees tmp-run-env.out');
    const c = await s.runJ('h', '--const.T_B=constB');
    assert.equal(c.new_env.T_B, 'constB');
    assert.equal(c.new_state.seen_in_post, 'constB', 'const re-applied before postprocess');
    assert.deepEqual(logLines(s), ['pre cliD dep', 'constB defD dep']);
    s.cleanup();
  });

  test('S28: a mapped flag beats the meta env; a bare flag maps to true', async () => {
    const s = scriptSandbox({ h: { meta: H, run: H_RUN } });
    const r = await s.runJ('h', '--b=fromFlag');
    assert.equal(r.new_env.T_B, 'fromFlag');
    const bare = await s.runJ('h', '--a');
    assert.equal(bare.new_env.T_A, true);
    const off = await s.runJ('h', '--b-');
    assert.equal(off.new_env.T_B, false);
    assert.deepEqual(logLines(s), ['defA fromFlag defD', 'True envB defD', 'defA False defD']);
    s.cleanup();
  });

  test('a variation input_mapping maps its flag too', async () => {
    const s = scriptSandbox({
      h: {
        meta: { ...H, variations: { m: { input_mapping: { c: 'T_C' } } } },
        run: 'echo "[$T_C]" >> log.txt',
      },
    });
    assert.equal((await s.runJ('h', '--tags=_m', '--c=1')).new_env.T_C, '1');
    assert.equal((await s.runJ('h', '--c=1')).new_env.T_C, undefined);
    assert.deepEqual(logLines(s), ['[1]', '[]']);
    s.cleanup();
  });

  test('S29: a mapped flag is const for the deps (beats a child variation env)', async () => {
    const s = scriptSandbox({
      p: {
        meta: { tags: ['p29'], input_mapping: { color: 'E_COLOR' }, deps: [{ tags: 'c29,_blue' }] },
      },
      c: {
        meta: { tags: ['c29'], variations: { blue: { env: { E_COLOR: 'blue' } } } },
        run: 'echo "child $E_COLOR" >> log.txt',
      },
    });
    await s.runJ('p', '--color=green');
    await s.runJ('p');
    assert.deepEqual(logLines(s), ['child green', 'child blue']);
    s.cleanup();
  });

  test('S30: built-in flags: a dep input becomes CM_INPUT; the top-level --input stays local', async () => {
    const s = scriptSandbox({
      p: { meta: { tags: ['p30'], deps: [{ tags: 'c30' }] }, run: 'echo "p:$CM_INPUT" >> log.txt' },
      q: {
        meta: { tags: ['q30'], deps: [{ tags: 'c30', input: '/some/file' }] },
        run: 'echo "q:$CM_INPUT" >> log.txt',
      },
      c: { meta: { tags: ['c30'] }, run: 'echo "c:$CM_INPUT" >> log.txt' },
    });
    await s.runJ('p', '--input=f');
    await s.runJ('q');
    assert.deepEqual(logLines(s), ['c:', 'p:f', 'c:/some/file', 'q:']);
    s.cleanup();
  });

  test('S31: CM_SCRIPT_EXTRA_CMD from the process env is merged into the input', async () => {
    const s = scriptSandbox({ h: { meta: H, run: H_RUN } });
    const r = await s.cmWith(
      { CM_SCRIPT_EXTRA_CMD: '--env.T_D=x' },
      'run',
      'script',
      'h',
      '--quiet',
      '-j',
      '-s',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().new_env.T_D, 'x');
    const mapped = await runJWith(s, { CM_SCRIPT_EXTRA_CMD: '--a=extraA' }, 'h');
    assert.equal(mapped.new_env.T_A, 'extraA');
    assert.deepEqual(logLines(s), ['defA envB x', 'extraA envB defD']);
    s.cleanup();
  });

  test('R2: CM_SCRIPT_EXTRA_CMD is merged into the input of every run, deps included', async () => {
    // The reference merges it at the start of each _run (recursion too), so a dep that maps the
    // flag sees it even though its parent does not pass it on.
    const s = scriptSandbox({
      p: { meta: { tags: ['p31'], deps: [{ tags: 'c31' }] } },
      c: {
        meta: { tags: ['c31'], input_mapping: { color: 'E_COLOR' } },
        run: 'echo "child [$E_COLOR]" >> log.txt',
      },
    });
    await runJWith(s, { CM_SCRIPT_EXTRA_CMD: '--color=green' }, 'c');
    await runJWith(s, { CM_SCRIPT_EXTRA_CMD: '--color=green' }, 'p');
    assert.deepEqual(logLines(s), ['child [green]', 'child [green]']);
    s.cleanup();
  });

  test('S32: <<<VAR>>> expands from env; unknown names stay; unresolved values are withheld from deps', async () => {
    const s = scriptSandbox({
      p: {
        meta: {
          tags: ['p32'],
          default_env: { P_SRC: 'src1' },
          env: { P_EXPAND: 'v=<<<P_SRC>>>', P_UNKNOWN: 'x<<<NOPE>>>' },
          new_env_keys: ['P_*'],
          deps: [{ tags: 'c32' }],
        },
        run: 'echo "p $P_EXPAND $P_UNKNOWN" >> log.txt',
      },
      c: { meta: { tags: ['c32'] }, run: 'echo "c $P_EXPAND [$P_UNKNOWN]" >> log.txt' },
    });
    const r = await s.runJ('p');
    assert.deepEqual(r.new_env, { P_SRC: 'src1', P_EXPAND: 'v=src1', P_UNKNOWN: 'x<<<NOPE>>>' });
    const cli = await s.runJ('p', '--env.P_SRC=cli');
    assert.equal(cli.new_env.P_EXPAND, 'v=cli');
    assert.deepEqual(logLines(s), [
      'c v=src1 []',
      'p v=src1 x<<<NOPE>>>',
      'c v=cli []',
      'p v=cli x<<<NOPE>>>',
    ]);
    s.cleanup();
  });

  test('S33: update_meta_if_env in a variation applies only when its condition holds', async () => {
    const s = scriptSandbox({
      u: {
        meta: {
          tags: ['u33'],
          new_env_keys: ['Y'],
          variations: {
            umie: { update_meta_if_env: [{ enable_if_env: { X: ['yes'] }, env: { Y: '1' } }] },
          },
        },
      },
    });
    const on = await s.runJ('u', '--tags=_umie', '--env.X=yes');
    assert.deepEqual(on.new_env, { Y: '1' });
    const off = await s.runJ('u', '--tags=_umie');
    assert.deepEqual(off.new_env, {});
    const noVariation = await s.runJ('u', '--env.X=yes');
    assert.deepEqual(noVariation.new_env, {});
    s.cleanup();
  });

  test('S33/Q20: a top-level update_meta_if_env is applied too', async () => {
    const s = scriptSandbox({
      u: {
        meta: {
          tags: ['u33'],
          new_env_keys: ['Y', 'Z'],
          update_meta_if_env: [
            { enable_if_env: { X: ['yes'] }, env: { Y: '1' } },
            { skip_if_env: { X: ['yes'] }, env: { Z: '2' } },
          ],
        },
        run: 'echo "[$Y] [$Z]" >> log.txt',
      },
    });
    const on = await s.runJ('u', '--env.X=yes');
    assert.deepEqual(on.new_env, { Y: '1' });
    const off = await s.runJ('u');
    assert.deepEqual(off.new_env, { Z: '2' });
    assert.deepEqual(logLines(s), ['[1] []', '[] [2]']);
    s.cleanup();
  });

  test('Q16: a scalar in enable_if_env is one value, not a list of characters', async () => {
    const s = scriptSandbox({
      u: {
        meta: {
          tags: ['u16'],
          new_env_keys: ['Y'],
          update_meta_if_env: [{ enable_if_env: { X: 'abc' }, env: { Y: 'hit' } }],
        },
      },
    });
    assert.deepEqual((await s.runJ('u', '--env.X=abc')).new_env, { Y: 'hit' });
    assert.deepEqual((await s.runJ('u', '--env.X=ABC')).new_env, { Y: 'hit' });
    assert.deepEqual((await s.runJ('u', '--env.X=a')).new_env, {});
    assert.deepEqual((await s.runJ('u')).new_env, {});
    s.cleanup();
  });

  test('Q17: a variation const_state is merged into the state and wins at the end', async () => {
    const s = scriptSandbox({
      cs: {
        meta: {
          tags: ['cs17'],
          new_state_keys: ['cs_*'],
          variations: { c: { const_state: { cs_k: 'v' } } },
        },
        run: 'echo \'{"cs_k": "fromrun", "cs_run": 1}\' > tmp-run-state.json',
      },
    });
    const r = await s.runJ('cs', '--tags=_c');
    assert.deepEqual(r.new_state, { cs_k: 'v', cs_run: 1 });
    const plain = await s.runJ('cs');
    assert.deepEqual(plain.new_state, { cs_k: 'fromrun', cs_run: 1 });
    s.cleanup();
  });

  test('Q8: a script skipped by preprocess leaves the caller env as it was', async () => {
    const s = scriptSandbox({
      p: { meta: { tags: ['p8'], deps: [{ tags: 'c8' }] }, run: 'echo "p:$T_POLLUTE" >> log.txt' },
      c: {
        meta: { tags: ['c8'], env: { T_POLLUTE: 'yes' }, new_env_keys: ['T_*'] },
        run: 'echo c >> log.txt',
        customize: `export function preprocess(i) {
  i.env.T_ALSO = 'x';
  return { return: 0, skip: true };
}
`,
      },
    });
    const skipped = await s.runJ('c');
    assert.equal(skipped.return, 0);
    assert.equal(skipped.skipped, true);
    assert.deepEqual(skipped.new_env, {});
    const r = await s.runJ('p');
    assert.equal(r.env.T_POLLUTE, undefined);
    assert.equal(r.env.T_ALSO, undefined);
    assert.deepEqual(logLines(s), ['p:']);
    s.cleanup();
  });

  test('Q15: a dep env is used afresh each time the dep runs in one process', async () => {
    const s = scriptSandbox({
      root: { meta: { tags: ['r15'], deps: [{ tags: 'mid15,_a' }, { tags: 'mid15,_b' }] } },
      mid: {
        meta: {
          tags: ['mid15'],
          variations: { a: {}, b: {} },
          deps: [{ tags: 'leaf15', env: { LEAF_E: 'x' } }],
        },
      },
      leaf: { meta: { tags: ['leaf15'] }, run: 'echo "leaf [$LEAF_E]" >> log.txt' },
    });
    await s.runJ('root');
    assert.deepEqual(logLines(s), ['leaf [x]', 'leaf [x]']);
    s.cleanup();
  });
});

describe('cm run script: exported env and state', parallel, () => {
  test('S50: new_env_keys filters what a script exports to its caller', async () => {
    const s = scriptSandbox({
      c: {
        meta: { tags: ['c50'], new_env_keys: ['T_*'] },
        run: 'printf "T_X=1\\nX_HIDDEN=2\\n" > tmp-run-env.out',
      },
      p: {
        meta: { tags: ['p50'], deps: [{ tags: 'c50' }] },
        run: 'echo "p [$T_X] [$X_HIDDEN]" >> log.txt',
      },
    });
    const r = await s.runJ('c');
    assert.deepEqual(r.new_env, { T_X: '1' });
    assert.equal(r.env.T_X, '1');
    assert.equal(r.env.X_HIDDEN, undefined);
    await s.runJ('p');
    assert.deepEqual(logLines(s), ['p [1] []']);
    s.cleanup();
  });

  test('new_env_keys: globs, exact names, <<<VAR>>> indirection, variation lists, caller keys', async () => {
    const s = scriptSandbox({
      k: {
        meta: {
          tags: ['k'],
          env: {
            T_WHICH: 'Z_PICKED',
            Z_PICKED: 'p',
            Z_OTHER: 'o',
            A1: 'a1',
            A12: 'a12',
            EXACT: 'e',
          },
          new_env_keys: ['A?', 'EXACT', '<<<T_WHICH>>>'],
          variations: { w: { env: { W_A: 'wa' }, new_env_keys: ['W_*'] } },
        },
      },
    });
    const r = await s.runJ('k');
    assert.deepEqual(r.new_env, { A1: 'a1', EXACT: 'e', Z_PICKED: 'p' });
    const w = await s.runJ('k', '--tags=_w', '--env.W_CALLER=c');
    assert.deepEqual(w.new_env, { A1: 'a1', EXACT: 'e', Z_PICKED: 'p', W_A: 'wa', W_CALLER: 'c' });
    const forced = await s.runJ('k', '--force_new_env_keys,=Z_OTHER');
    assert.deepEqual(forced.new_env, { Z_OTHER: 'o' });
    s.cleanup();
  });

  test('S51: a +KEY list set by preprocess is prepended in run.sh and exported as a list', async () => {
    const s = scriptSandbox({
      h: {
        meta: H,
        run: 'echo "$TPATH" >> log.txt',
        customize: `export function preprocess(i) {
  i.env['+TPATH'] = ['/x/bin'];
  return { return: 0 };
}
`,
      },
    });
    const r = await runJWith(s, { TPATH: '/prev' }, 'h');
    assert.deepEqual(r.new_env['+TPATH'], ['/x/bin']);
    await s.runJ('h');
    assert.deepEqual(logLines(s), ['/x/bin:/prev', '/x/bin:']);
    s.cleanup();
  });

  test('S51: +KEY lists exported by two deps are merged unique in the parent', async () => {
    const s = scriptSandbox({
      d1: { meta: { tags: ['d51', 'one'], env: { '+PATH': ['a'] }, new_env_keys: ['+PATH'] } },
      d2: { meta: { tags: ['d51', 'two'], env: { '+PATH': ['a', 'b'] }, new_env_keys: ['+PATH'] } },
      p: {
        meta: {
          tags: ['p51'],
          deps: [{ tags: 'd51,one' }, { tags: 'd51,two' }],
          new_env_keys: ['+PATH'],
        },
        run: 'echo "$PATH" | cut -d: -f1-3 >> log.txt',
      },
    });
    const r = await s.runJ('p');
    assert.deepEqual(r.new_env, { '+PATH': ['a', 'b'] });
    const [line] = logLines(s);
    assert.match(line, /^a:b:[^ab]/);
    s.cleanup();
  });

  test('a +KEY that is not a list: return 1 naming the key', async () => {
    const s = scriptSandbox({
      bad: { meta: { tags: ['bad'], env: { '+TPATH': '/x' }, new_env_keys: ['+TPATH'] } },
    });
    const r = await s.run('bad');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /CM error: List value expected for \+TPATH in env/);
    s.cleanup();
  });

  test('S52: a +KEY whose next char is not alphanumeric uses it as separator (+ CXXFLAGS)', async () => {
    const s = scriptSandbox({
      cx: {
        meta: { tags: ['cx'], env: { '+ CXXFLAGS': ['-O3', '-g'] } },
        run: 'echo "[$CXXFLAGS]" >> log.txt',
      },
    });
    const r = await s.cmWith({ CXXFLAGS: '-Wall' }, 'run', 'script', 'cx', '--quiet', '--dirty');
    assert.equal(r.code, 0, r.stderr);
    const wrapper = readFileSync(join(s.dir, 'tmp-run.sh'), 'utf8').split('\n');
    assert.ok(wrapper.includes('export CXXFLAGS="-O3 -g ${CXXFLAGS}"'), wrapper.join('\n'));
    assert.deepEqual(logLines(s), ['[-O3 -g -Wall]']);
    s.cleanup();
  });

  test('S53/Q5: tmp-run-env.out lines are split at the first =', async () => {
    const s = scriptSandbox({
      e: {
        meta: { tags: ['e53'], new_env_keys: ['T_*'] },
        run: 'printf "T_FROMRUN=hello=world\\n\\n  T_SPACED = v \\nnot a pair\\nT_EMPTY=\\n" > tmp-run-env.out',
      },
    });
    const r = await s.runJ('e');
    assert.deepEqual(r.new_env, { T_FROMRUN: 'hello=world', T_SPACED: 'v', T_EMPTY: '' });
    s.cleanup();
  });

  test('S54: tmp-run-state.json is merged into the state, new_state_keys filters it', async () => {
    const s = scriptSandbox({
      st: {
        meta: { tags: ['st54'], new_state_keys: ['tstate*'] },
        run: 'echo \'{"tstate_run": {"k": 1}, "other": 2}\' > tmp-run-state.json',
        customize: `export function postprocess(i) {
  i.state.tstate_post = { seen: i.state.tstate_run.k };
  return { return: 0 };
}
`,
      },
    });
    const r = await s.runJ('st');
    assert.deepEqual(r.new_state, { tstate_run: { k: 1 }, tstate_post: { seen: 1 } });
    assert.equal(r.state.other, undefined);
    assert.equal(r.state.tstate_run.k, 1);
    s.cleanup();
  });

  test('S55/Q6: tmp-run.sh layout: shebang, +keys, sorted escaped exports, blank, the script', async () => {
    const s = scriptSandbox({
      lay: {
        meta: { tags: ['lay'], env: { '+ZLIST': ['z1', 'z2'], B_VAR: 'b', A_VAR: 'a' } },
        run: 'printf "%s\\n" "$T_Q" >> log.txt',
      },
    });
    const tricky = 'a"b$HOME`echo x`\\e';
    const r = await s.run('lay', `--env.T_Q=${tricky}`, '--dirty');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(logLines(s), [tricky]);
    const lines = readFileSync(join(s.dir, 'tmp-run.sh'), 'utf8').split('\n');
    const scriptDir = s.local('script', 'lay');
    assert.equal(lines[0], '#!/bin/bash');
    assert.equal(lines.at(-1), '', 'ends with a newline');
    assert.equal(lines.at(-2), `. "${join(scriptDir, 'run.sh')}"`); // quoted as every value
    assert.equal(lines.at(-3), '');
    const exports = lines.filter((l) => l.startsWith('export '));
    assert.equal(exports[0], 'export ZLIST="z1:z2:${ZLIST}"');
    const names = exports.slice(1).map((l) => /^export ([A-Za-z0-9_]+)=/.exec(l)[1]);
    assert.deepEqual(names, [...names].sort());
    for (const k of [
      'A_VAR',
      'B_VAR',
      'CM_TMP_CURRENT_SCRIPT_PATH',
      'CM_TMP_CURRENT_SCRIPT_WORK_PATH',
    ])
      assert.ok(names.includes(k), `${k} exported`);
    assert.ok(names.includes('CM_TMP_PIP_VERSION_STRING'));
    assert.ok(exports.includes(`export CM_TMP_CURRENT_SCRIPT_PATH="${scriptDir}"`));
    assert.ok(exports.includes(`export CM_TMP_CURRENT_SCRIPT_WORK_PATH="${s.dir}"`));
    assert.ok(exports.includes('export T_Q="a\\"b\\$HOME\\`echo x\\`\\\\e"'), exports.join('\n'));
    const state = JSON.parse(readFileSync(join(s.dir, 'tmp-state.json'), 'utf8'));
    assert.deepEqual(state.docker, {});
    s.cleanup();
  });

  test('S56: a non-cached run cleans its tmp files and clean_files; --dirty keeps them', async () => {
    const s = scriptSandbox({
      cl: {
        meta: { tags: ['cl'], clean_files: ['junk.txt'], new_env_keys: ['T_*'] },
        run: 'echo T_X=1 > tmp-run-env.out; echo "{}" > tmp-run-state.json; echo j > junk.txt',
      },
    });
    const r = await s.run('cl');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tmpFiles(s.dir), []);
    assert.equal(existsSync(join(s.dir, 'junk.txt')), false);
    const dirty = await s.run('cl', '--dirty');
    assert.equal(dirty.code, 0, dirty.stderr);
    assert.deepEqual(tmpFiles(s.dir), [
      'tmp-run-env.out',
      'tmp-run-state.json',
      'tmp-run.sh',
      'tmp-state.json',
    ]);
    assert.ok(existsSync(join(s.dir, 'junk.txt')));
    s.cleanup();
  });

  test('stale tmp files and clean_files are removed before the native run', async () => {
    const s = scriptSandbox({
      st: {
        meta: { tags: ['stale'], clean_files: ['junk.txt'], new_env_keys: ['T_*'] },
        run: 'echo "junk $([ -e junk.txt ] && echo yes || echo no)" >> log.txt',
      },
    });
    s.write({
      'tmp-run-env.out': 'T_OLD=1\n',
      'tmp-run-state.json': '{"old": 1}',
      'junk.txt': 'x',
    });
    const r = await s.runJ('st');
    assert.deepEqual(r.new_env, {});
    assert.equal(r.state.old, undefined);
    assert.deepEqual(logLines(s), ['junk no']);
    s.cleanup();
  });

  test('S56: --save_env writes tmp-env.sh with the new_env exports in the cwd', async () => {
    const s = scriptSandbox({
      sv: {
        meta: { tags: ['sv'], new_env_keys: ['T_*', '+TPATH'], env: { '+TPATH': ['/t/bin'] } },
        run: 'printf "T_X=1\\nX_HIDDEN=2\\n" > tmp-run-env.out',
      },
    });
    const r = await s.run('sv', '--save_env');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(tmpFiles(s.dir), ['tmp-env.sh']);
    const text = readFileSync(join(s.dir, 'tmp-env.sh'), 'utf8');
    assert.equal(text, '#!/bin/bash\n\nexport TPATH="/t/bin:${TPATH}"\nexport T_X="1"\n');
    s.cleanup();
  });
});
