// End-to-end: versions of scripts (spec §8, acceptance scenarios F: S57–S63) through the real CLI.
// Clean behaviour (QUIRK Q2): default_version is resolved before the cache lookup and is part of
// the cache key; with only version_min/max the highest matching entry is preferred.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel } from './helpers.js';
import { cacheEntries, logLines, scriptSandbox } from './script-fixtures.js';

// postprocess: the version written by run.sh into tmp-ver.out becomes the run's version.
const VERSION_HOOK = String.raw`
export function postprocess(i) {
  const r = i.automation.parse_version({ match_text: 'tool version\\s*([\\d.]+)', group_number: 1, env_key: 'TOOL_VERSION', which_env: i.env });
  if (r.return > 0) return r;
  return { return: 0, version: r.version };
}
`;

const TOOL_RUN = [
  'echo "tool version ${CM_VERSION}" > tmp-ver.out',
  'echo "run CM_VERSION=${CM_VERSION} TOOL_URL=${TOOL_URL} PIP=${CM_TMP_PIP_VERSION_STRING}" >> "$CM_TMP_CURRENT_PATH/log.txt"',
  'echo "TOOL_SEEN_URL=${TOOL_URL}" > tmp-run-env.out',
].join('\n');

/** Meta T of the spec: cached, default_version 2.0.0, versions 1.0.0 / 2.0.0 with a URL each. */
const TOOL = {
  meta: {
    tags: ['t', 'tool'],
    cache: true,
    default_version: '2.0.0',
    new_env_keys: ['TOOL_*'],
    versions: { '1.0.0': { env: { TOOL_URL: 'u1' } }, '2.0.0': { env: { TOOL_URL: 'u2' } } },
  },
  run: TOOL_RUN,
  customize: VERSION_HOOK,
};

/** The same without a default version ("t anyver"). */
const ANYVER = {
  meta: { tags: ['t', 'anyver'], cache: true, new_env_keys: ['TOOL_*'] },
  run: [
    'echo "tool version ${CM_VERSION:-3.9}" > tmp-ver.out',
    'echo "run CM_VERSION=${CM_VERSION}" >> "$CM_TMP_CURRENT_PATH/log.txt"',
  ].join('\n'),
  customize: VERSION_HOOK,
};

const entryOf = (s, path) => cacheEntries(s).find((e) => e.path === path);

describe('script versions', parallel, () => {
  test('S57 default version: CM_VERSION, versions[v].env, pip string, version tag and entry meta', async () => {
    const s = scriptSandbox({ tool: TOOL });
    const j = await s.runJ('t tool');
    assert.equal(j.return, 0);
    assert.equal(j.version, '2.0.0');
    assert.deepEqual(logLines(s), ['run CM_VERSION=2.0.0 TOOL_URL=u2 PIP===2.0.0']);
    assert.equal(j.new_env.TOOL_SEEN_URL, 'u2');
    assert.equal(j.new_env.TOOL_VERSION, '2.0.0');
    const entries = cacheEntries(s);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].path, j.cache_entry);
    assert.ok(entries[0].tags.includes('version-2.0.0'), entries[0].tags.join(','));
    assert.ok(entries[0].tags.includes('t') && entries[0].tags.includes('tool'));
    assert.ok(!entries[0].tags.includes('tmp'));
    assert.equal(entries[0].meta.version, '2.0.0');
    s.cleanup();
  });

  test('S58 explicit version: a new entry per version; a version not in `versions` runs without its env', async () => {
    const s = scriptSandbox({ tool: TOOL });
    const def = await s.runJ('t tool');
    const v1 = await s.runJ('t tool', '--version=1.0.0');
    assert.equal(v1.version, '1.0.0');
    assert.notEqual(v1.cache_entry, def.cache_entry);
    assert.equal(v1.new_env.TOOL_SEEN_URL, 'u1');
    assert.ok(entryOf(s, v1.cache_entry).tags.includes('version-1.0.0'));
    assert.equal(entryOf(s, v1.cache_entry).meta.version, '1.0.0');
    const v3 = await s.runJ('t tool', '--version=3.0.0');
    assert.equal(v3.version, '3.0.0');
    assert.ok(entryOf(s, v3.cache_entry).tags.includes('version-3.0.0'));
    assert.equal(v3.new_env.TOOL_SEEN_URL, '');
    assert.deepEqual(logLines(s), [
      'run CM_VERSION=2.0.0 TOOL_URL=u2 PIP===2.0.0',
      'run CM_VERSION=1.0.0 TOOL_URL=u1 PIP===1.0.0',
      'run CM_VERSION=3.0.0 TOOL_URL= PIP===3.0.0',
    ]);
    assert.equal(cacheEntries(s).length, 3);
    // Each version is reused afterwards.
    const again = await s.runJ('t tool', '--version=1.0.0');
    assert.equal(again.cache_entry, v1.cache_entry);
    assert.equal(again.version, '1.0.0');
    assert.equal(again.new_env.TOOL_SEEN_URL, 'u1');
    assert.equal(logLines(s).length, 3);
    s.cleanup();
  });

  test('S59 min/max select among entries: clamped default_version, and the highest match without one', async () => {
    const s = scriptSandbox({ tool: TOOL, anyver: ANYVER });
    const v1 = await s.runJ('t tool', '--version=1.0.0');
    const v2 = await s.runJ('t tool', '--version=2.0.0');
    assert.equal(logLines(s).length, 2);
    // default 2.0.0 is within [1.5, ∞): the 2.0.0 entry is reused.
    const min = await s.runJ('t tool', '--version_min=1.5');
    assert.equal(min.cache_entry, v2.cache_entry);
    assert.equal(min.version, '2.0.0');
    // default 2.0.0 is above max 1.5: clamped to version_max_usable 1.0.0, that entry is reused.
    const max = await s.runJ('t tool', '--version_max=1.5', '--version_max_usable=1.0.0');
    assert.equal(max.cache_entry, v1.cache_entry);
    assert.equal(max.version, '1.0.0');
    assert.equal(logLines(s).length, 2, 'nothing ran again');

    // Without a default version the highest entry satisfying the constraints is taken.
    const a1 = await s.runJ('t anyver', '--version=1.0.0');
    const a3 = await s.runJ('t anyver', '--version=3.0.0');
    const a2 = await s.runJ('t anyver', '--version=2.0.0');
    assert.equal(logLines(s).length, 5);
    assert.equal((await s.runJ('t anyver', '--version_min=2.5')).cache_entry, a3.cache_entry);
    assert.equal((await s.runJ('t anyver', '--version_min=1.5')).cache_entry, a3.cache_entry);
    assert.equal((await s.runJ('t anyver', '--version_max=1.5')).cache_entry, a1.cache_entry);
    assert.equal(
      (await s.runJ('t anyver', '--version_min=1.5', '--version_max=2.5')).cache_entry,
      a2.cache_entry,
    );
    assert.equal((await s.runJ('t anyver')).cache_entry, a3.cache_entry);
    assert.equal(logLines(s).length, 5, 'nothing ran again');
    s.cleanup();
  });

  test('S60 (clean Q2) with entries 1.0.0/2.0.0/3.0.0 a plain run reuses the default_version 2.0.0 entry', async () => {
    const s = scriptSandbox({ tool: TOOL });
    const v2 = await s.runJ('t tool', '--version=2.0.0');
    await s.runJ('t tool', '--version=1.0.0');
    await s.runJ('t tool', '--version=3.0.0');
    assert.equal(cacheEntries(s).length, 3);
    const plain = await s.runJ('t tool');
    assert.equal(plain.cache_entry, v2.cache_entry);
    assert.equal(plain.version, '2.0.0');
    assert.equal(plain.new_env.TOOL_SEEN_URL, 'u2');
    assert.equal(logLines(s).length, 3);
    assert.equal(cacheEntries(s).length, 3);
    // The text output says it loaded the entry.
    const r = await s.run('t tool');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stderr.includes(`! load ${join(v2.cache_entry, 'cm-cached-state.json')}`),
      r.stderr,
    );
    s.cleanup();
  });

  test('S61 default_version is clamped by version_max/version_max_usable and version_min', async () => {
    const s = scriptSandbox({ tool: TOOL });
    const usable = await s.runJ('t tool', '--version_max=1.5', '--version_max_usable=1.4');
    assert.equal(usable.version, '1.4');
    assert.equal(logLines(s).at(-1), 'run CM_VERSION=1.4 TOOL_URL= PIP===1.4');
    const max = await s.runJ('t tool', '--version_max=1.5');
    assert.equal(max.version, '1.5');
    assert.equal(logLines(s).at(-1), 'run CM_VERSION=1.5 TOOL_URL= PIP===1.5');
    const min = await s.runJ('t tool', '--version_min=2.5');
    assert.equal(min.version, '2.5');
    assert.equal(logLines(s).at(-1), 'run CM_VERSION=2.5 TOOL_URL= PIP===2.5');
    assert.ok(entryOf(s, min.cache_entry).tags.includes('version-2.5'));
    // within the bounds the default stays
    const within = await s.runJ('t tool', '--version_min=1.0', '--version_max=3.0');
    assert.equal(within.version, '2.0.0');
    assert.equal(logLines(s).at(-1), 'run CM_VERSION=2.0.0 TOOL_URL=u2 PIP===2.0.0');
    assert.equal(logLines(s).length, 4);
    assert.equal(cacheEntries(s).length, 4);
    s.cleanup();
  });

  test('S62 find_artifact with detect_version picks the binary satisfying version_min; --path is ignored on a cache hit', async () => {
    const s = scriptSandbox({
      'detect-mytool': {
        meta: { tags: ['detect', 'mytool'], cache: true, new_env_keys: ['MYTOOL_*'] },
        run: [
          '"${MYTOOL_BIN_WITH_PATH}" > tmp-ver.out',
          'echo "run ${MYTOOL_BIN_WITH_PATH}" >> "$CM_TMP_CURRENT_PATH/log.txt"',
        ].join('\n'),
        customize: String.raw`
export async function preprocess(i) {
  const r = await i.automation.find_artifact({
    file_name: 'mytool', env: i.env, os_info: i.os_info, default_path_env_key: 'PATH',
    detect_version: true, env_path_key: 'MYTOOL_BIN_WITH_PATH', run_script_input: i.run_script_input,
  });
  if (r.return > 0) return r;
  return { return: 0 };
}
export function detect_version(i) {
  const r = i.automation.parse_version({ match_text: 'mytool version\\s*([\\d.]+)', group_number: 1, env_key: 'MYTOOL_VERSION', which_env: i.env });
  if (r.return > 0) return r;
  return { return: 0, version: r.version };
}
export function postprocess(i) {
  return detect_version(i);
}
`,
      },
    });
    const bin1 = join(s.dir, 'bin1');
    const bin2 = join(s.dir, 'bin2');
    for (const [dir, v] of [
      [bin1, '1.5.0'],
      [bin2, '2.5.0'],
    ]) {
      mkdirSync(dir);
      writeFileSync(join(dir, 'mytool'), `#!/bin/bash\necho "mytool version ${v}"\n`);
      chmodSync(join(dir, 'mytool'), 0o755);
    }
    const PATH = `${bin1}:${bin2}:${process.env.PATH}`;
    const run = (...args) =>
      s.cmWith({ PATH }, 'run', 'script', 'detect mytool', ...args, '--quiet', '-j', '-s');

    const r = await run('--version_min=2.0');
    assert.equal(r.code, 0, r.stderr);
    const j = r.json();
    assert.equal(j.new_env.MYTOOL_BIN_WITH_PATH, join(bin2, 'mytool'));
    assert.equal(j.new_env.MYTOOL_VERSION, '2.5.0');
    assert.equal(j.version, '2.5.0');
    const entry = entryOf(s, j.cache_entry);
    assert.ok(entry.tags.includes('version-2.5.0'), entry.tags.join(','));
    assert.equal(entry.meta.version, '2.5.0');
    // run.sh ran once per candidate (bin1 rejected, bin2 kept), then as the main script with bin2.
    assert.deepEqual(logLines(s), [
      `run ${join(bin1, 'mytool')}`,
      `run ${join(bin2, 'mytool')}`,
      `run ${join(bin2, 'mytool')}`,
    ]);

    // A later run with --path reuses the entry: --path is not part of the cache key.
    const again = await run(`--path=${bin1}`);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.json().cache_entry, j.cache_entry);
    assert.equal(again.json().new_env.MYTOOL_BIN_WITH_PATH, join(bin2, 'mytool'));
    assert.equal(logLines(s).length, 3);

    // --new: version_max picks bin1; --path restricts the search; no candidate fits → rc 16.
    const low = await run('--version_max=2.0', '--new');
    assert.equal(low.code, 0, low.stderr);
    assert.equal(low.json().new_env.MYTOOL_BIN_WITH_PATH, join(bin1, 'mytool'));
    assert.equal(low.json().version, '1.5.0');
    const only2 = await run(`--path=${bin2}`, '--new');
    assert.equal(only2.code, 0, only2.stderr);
    assert.equal(only2.json().new_env.MYTOOL_BIN_WITH_PATH, join(bin2, 'mytool'));
    const none = await run('--version_min=3.0', '--new');
    assert.equal(none.code, 16, none.stderr);
    assert.match(
      none.json().error,
      /^no mytool satisfies >= 3\.0: found 1\.5\.0 \(\S+mytool\), 2\.5\.0 /,
    );
    s.cleanup();
  });

  test('S63 version comparison: 1.10 > 1.9, 3.9 == 3.9.0, 3.9.6 > 3.9', async () => {
    const s = scriptSandbox({ anyver: ANYVER });
    const a19 = await s.runJ('t anyver', '--version=1.9');
    const a110 = await s.runJ('t anyver', '--version=1.10');
    const a396 = await s.runJ('t anyver', '--version=3.9.6');
    assert.equal(a110.version, '1.10');
    assert.equal(logLines(s).length, 3);
    // 1.10 > 1.9 (numeric parts), so min 1.10 keeps only 1.10 among the low ones.
    assert.equal(
      (await s.runJ('t anyver', '--version_min=1.10', '--version_max=2')).cache_entry,
      a110.cache_entry,
    );
    assert.equal((await s.runJ('t anyver', '--version_max=1.9')).cache_entry, a19.cache_entry);
    // 3.9.6 > 3.9: excluded by version_max 3.9; the highest remaining is 1.10.
    assert.equal((await s.runJ('t anyver', '--version_max=3.9')).cache_entry, a110.cache_entry);
    assert.equal((await s.runJ('t anyver')).cache_entry, a396.cache_entry);
    assert.equal(logLines(s).length, 3);
    // 3.9 == 3.9.0: nothing in [3.9.0, 3.9] is cached; the run detects 3.9, which satisfies both bounds.
    const eq = await s.runJ('t anyver', '--version_min=3.9.0', '--version_max=3.9');
    assert.equal(eq.version, '3.9');
    assert.equal(logLines(s).length, 4);
    assert.equal(logLines(s).at(-1), 'run CM_VERSION=');
    s.cleanup();
  });

  test('a detected version outside --version_min/--version_max is an error (rc 2) and caches nothing', async () => {
    const s = scriptSandbox({
      oldtool: {
        meta: { tags: ['t', 'oldtool'], cache: true, new_env_keys: ['OLD_*'] },
        run: 'echo "OLD_TOOL=found" > tmp-run-env.out',
        customize: `export function postprocess(i) { return { return: 0, version: '1.5' }; }`,
      },
    });
    const r = await s.run('t oldtool', '--version_min=2.0');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /script "oldtool": detected version 1\.5 is below version_min 2\.0/);
    assert.match(r.stderr, /relax --version_min\/--version_max/);
    const ok = await s.runJ('t oldtool', '--version_max=1.9');
    assert.equal(ok.version, '1.5');
    assert.equal(ok.new_env.OLD_TOOL, 'found');
    const again = await s.run('t oldtool', '--version_min=2.0', '-j');
    assert.equal(
      again.code,
      2,
      'the 1.5 entry does not satisfy version_min 2.0 and the run detects 1.5 again',
    );
    s.cleanup();
  });
});
