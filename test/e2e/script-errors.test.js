// End-to-end: what a user sees when a script, its meta, its hooks or the command line are wrong.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parallel } from './helpers.js';
import { cacheEntries, scriptSandbox } from './script-fixtures.js';

describe('script errors', parallel, () => {
  test('a meta key of the wrong type is an error naming the file and key (rc 4), not ignored', async () => {
    const s = scriptSandbox({
      strdeps: { meta: { tags: ['t', 'strdeps'], deps: 'detect,os' }, run: 'true' },
      strdep: { meta: { tags: ['t', 'strdep'], deps: ['detect,os'] }, run: 'true' },
      badvar: { meta: { tags: ['t', 'badvar'], variations: { a: { env: 5 } } }, run: 'true' },
      many: {
        meta: {
          tags: ['t', 'many'],
          new_env_keys: 'MANY_*',
          variations: { a: { default: 'true,', deps: 'get,x' } },
          adr: { python: 'the python dep' },
        },
        run: 'true',
      },
    });
    const a = await s.run('t strdeps');
    assert.equal(a.code, 4, a.stderr);
    assert.match(
      a.stderr,
      /script\/strdeps\/_cm\.yaml: deps must be a list \(found a string "detect,os"\)/,
    );
    assert.match(a.stderr, /hint: write it as\n\s+deps:\n\s+- tags: detect,os/);
    const b = await s.run('t strdep');
    assert.match(b.stderr, /_cm\.yaml: deps\[0\] must be a dict \(found a string "detect,os"\)/);
    assert.match(b.stderr, /hint: write it as "- tags: detect,os"/);
    const c = await s.run('t badvar _a');
    assert.match(c.stderr, /_cm\.yaml: variations\.a\.env must be a dict \(found an integer 5\)/);
    // Every key the engine cannot read, in one error; what it reads leniently does not stop it.
    const d = await s.run('t many', '-j');
    assert.equal(d.code, 4, d.stderr);
    assert.match(d.stderr, /script\/many\/_cm\.yaml: 2 keys the engine cannot read:/);
    assert.match(d.stderr, /new_env_keys must be a list \(found a string "MANY_\*"\)/);
    assert.match(d.stderr, /variations\.a\.deps must be a list \(found a string "get,x"\)/);
    assert.match(d.stderr, /new_env_keys: write it as a list: new_env_keys: \[MANY_\*\]/);
    assert.doesNotMatch(d.stderr, /default|adr/);
    s.cleanup();
  });

  test('a dep whose script has a broken _cm.yaml says so instead of "no script has tag"', async () => {
    const s = scriptSandbox({
      user: { meta: { tags: ['use', 'tools'], deps: [{ tags: 'get,greeting' }] }, run: 'true' },
    });
    s.write(
      { '_cm.yaml': 'alias: greet\ntags: [get, greeting\ncache: [true\n' },
      s.local('script', 'greet'),
    );
    const r = await s.run('use tools');
    assert.equal(r.code, 16);
    assert.match(r.stderr, /dependency "get,greeting" of script "user"/);
    assert.match(r.stderr, /script greet is skipped: .*greet\/_cm\.yaml/);
    s.cleanup();
  });

  test('a dep with a variation its script lacks names the parent, the meta file and --adr', async () => {
    const s = scriptSandbox({
      greet: { meta: { tags: ['get', 'greeting'], variations: { en: {}, fr: {} } }, run: 'true' },
      user: {
        meta: { tags: ['use', 'tools'], deps: [{ tags: 'get,greeting,_de', names: ['greet'] }] },
        run: 'true',
      },
    });
    const r = await s.run('use tools');
    assert.equal(r.code, 16);
    assert.match(r.stderr, /dependency "get,greeting,_de" of script "user" \(deps, names greet\)/);
    assert.match(r.stderr, /no variation _de/);
    assert.match(r.stderr, /the dep is in .*script\/user\/_cm\.yaml .*--adr\.greet\.tags=\.\.\./);
    s.cleanup();
  });

  test('a bad --cache_expiration stops the run before anything runs', async () => {
    const s = scriptSandbox({
      c: {
        meta: { tags: ['t', 'c'], cache: true },
        run: 'echo ran >> "$CM_TMP_CURRENT_PATH/log.txt"',
      },
    });
    const r = await s.run('t c', '--cache_expiration=abc');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cache_expiration "abc" is not a duration/);
    assert.match(r.stderr, /45s, 10m, 2h, 3d/);
    assert.throws(() => s.log(), /ENOENT/);
    assert.equal(cacheEntries(s).length, 0);
    s.cleanup();
  });

  test('cmr NAME _VARIATION selects the variation; a tag that is a script name gets a hint', async () => {
    const s = scriptSandbox({
      greet: {
        meta: {
          tags: ['get', 'greeting'],
          new_env_keys: ['G_*'],
          variations: {
            en: { group: 'l', default: true, env: { G_W: 'hello' } },
            fr: { group: 'l', env: { G_W: 'bonjour' } },
          },
        },
        run: 'true',
      },
    });
    const r = await s.cm('run', 'script', 'greet', '_fr', '--quiet', '-j', '-s');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json().new_env.G_W, 'bonjour');
    const n = await s.run('greet _fr');
    assert.equal(n.code, 16);
    assert.match(n.stderr, /"greet" is the name of a script: cm run script greet --tags=_fr/);
    s.cleanup();
  });

  test('hook errors: a throw names customize.js:line, a thrown string is shown, a syntax error shows the line and makes no cache entry', async () => {
    const s = scriptSandbox({
      thrower: {
        meta: { tags: ['t', 'thrower'] },
        customize:
          'export function preprocess(i) {\n  const a = undefined;\n  return a.length;\n}\n',
      },
      stringy: {
        meta: { tags: ['t', 'stringy'] },
        customize: "export function postprocess(i) { throw 'a string'; }\n",
      },
      syntax: {
        meta: { tags: ['t', 'syntax'], cache: true },
        run: 'true',
        customize:
          'export function preprocess(i) {\n  return { return: 0 \n}\nexport function x( {\n',
      },
    });
    const a = await s.run('t thrower');
    assert.equal(a.code, 1);
    assert.match(
      a.stderr,
      /thrower\/customize\.js:3:\d+: preprocess\(\) threw: Cannot read properties of undefined/,
    );
    const b = await s.run('t stringy');
    assert.match(b.stderr, /postprocess\(\) threw: a string/);
    const c = await s.run('t syntax');
    assert.equal(c.code, 1);
    assert.match(c.stderr, /cannot load the hook module/);
    assert.match(c.stderr, /fix the syntax error:\n\s+.*syntax\/customize\.js:\d+/);
    assert.equal(cacheEntries(s).length, 0, 'no tmp entry for a hook that cannot load');
    s.cleanup();
  });

  test('--print_deps on a cache hit lists the deps recorded in the entry', async () => {
    const s = scriptSandbox({
      leaf: { meta: { tags: ['t', 'leaf'] }, run: 'true' },
      top: { meta: { tags: ['t', 'top'], cache: true, deps: [{ tags: 't,leaf' }] }, run: 'true' },
    });
    assert.equal((await s.run('t top')).code, 0);
    const r = await s.run('t top', '--print_deps');
    assert.match(r.stderr, /! load /);
    assert.equal(r.stdout, 'cm run script --tags=t,leaf\n');
    s.cleanup();
  });

  test('an --adr.NAME that no dep of the run carries is warned about with a did-you-mean', async () => {
    const s = scriptSandbox({
      leaf: { meta: { tags: ['t', 'leaf'], variations: { fr: {} } }, run: 'true' },
      top: {
        meta: { tags: ['t', 'top'], deps: [{ tags: 't,leaf', names: ['greet'] }] },
        run: 'true',
      },
    });
    const typo = await s.run('t top', '--adr.gret.tags=_fr', '-s');
    assert.equal(typo.code, 0, typo.stderr);
    assert.match(
      typo.stderr,
      /WARNING: --adr\.gret matched no dependency of this run; did you mean "greet"\?/,
    );
    const ok = await s.run('t top', '--adr.greet.tags=_fr', '-s');
    assert.doesNotMatch(ok.stderr, /WARNING/);
    s.cleanup();
  });
});
