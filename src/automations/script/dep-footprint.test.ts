import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCm } from '../../index.js';
import { conflictOf, type SubtreeFootprint } from '../../core/script/dep-independence.js';
import { writeTree, type FileTree } from '../../db/file-tree.js';
import type { Dict } from '../../core/merge.js';
import { footprintOfDep, newFootprintMemo } from './dep-footprint.js';
import { findScripts } from './select.js';

/** A CM home whose local repo holds `scripts` ({alias: {meta, files}}); the context to walk it. */
function home(scripts: Record<string, { meta: object; files?: FileTree }>) {
  const dir = mkdtempSync(join(tmpdir(), 'cm-footprint-'));
  const tree: FileTree = {};
  let n = 0;
  for (const [alias, s] of Object.entries(scripts)) {
    const meta = {
      alias,
      uid: (++n).toString(16).padStart(16, 'a'),
      automation_alias: 'script',
      automation_uid: '5b4e0237da074764',
      ...s.meta,
    };
    tree[alias] = { '_cm.yaml': JSON.stringify(meta), ...s.files };
  }
  writeTree(join(dir, 'repos', 'local', 'script'), tree);
  const cm = createCm({ home: dir, env: {}, cwd: dir });
  return { ctx: cm.context, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const SLEEP = {
  meta: {
    tags: ['par', 'sleep'],
    default_env: { PAR_SLEEP: '1' },
    variations: {
      a: { group: 'which', env: { PAR_WHICH: 'A' }, new_env_keys: ['CM_PAR_A'] },
      b: { group: 'which', env: { PAR_WHICH: 'B' }, new_env_keys: ['CM_PAR_B'] },
      cached: { cache: true },
    } as Dict,
  },
  files: {
    'run.sh': '#!/bin/bash\nsleep "$PAR_SLEEP"\necho "CM_PAR_$PAR_WHICH=done" > tmp-run-env.out\n',
  },
};

const readsOf = (f: SubtreeFootprint): string[] | '*' =>
  f.reads === '*' ? '*' : [...f.reads].sort();

test('a dep selecting an uncached script: its variation exports, reads, files and the caller folder', () => {
  const h = home({ 'par-sleep': SLEEP });
  try {
    const memo = newFootprintMemo();
    const a = footprintOfDep(h.ctx, { tags: 'par,sleep,_a' }, {}, 'CM_', memo);
    assert.deepEqual(a.exports.env, ['CM_PAR_A']);
    assert.ok((readsOf(a) as string[]).includes('PAR_SLEEP'), 'default_env');
    assert.equal(a.runsSomething, true);
    assert.equal(a.hooks, false);
    assert.equal(a.usesCallerFolder, true);
    assert.match(a.fileText.join(''), /sleep "\$PAR_SLEEP"/);
    const b = footprintOfDep(h.ctx, { tags: 'par,sleep,_b' }, {}, 'CM_', memo);
    assert.match(conflictOf(a, b)!, /same folder/);
    const cached = footprintOfDep(h.ctx, { tags: 'par,sleep,_b,_cached' }, {}, 'CM_', memo);
    assert.equal(cached.usesCallerFolder, false, 'a variation makes it cached');
    assert.equal(conflictOf(a, cached), undefined);
    const waits = footprintOfDep(
      h.ctx,
      { tags: 'par,sleep,_b,_cached', enable_if_env: { CM_PAR_A: ['done'] } },
      {},
      'CM_',
      memo,
    );
    assert.match(conflictOf(a, waits)!, /reads CM_PAR_A/);
  } finally {
    h.done();
  }
});

test('a subtree reads what its deps read, but exports only what its top script lets out', () => {
  const h = home({
    'get-tool': {
      meta: { tags: ['get', 'tool'], cache: true, new_env_keys: ['+PATH', 'CM_TOOL_BIN'] },
      files: { 'run.sh': 'echo CM_TOOL_BIN=/x > tmp-run-env.out\n' },
    },
    'use-tool': {
      meta: {
        tags: ['use', 'tool'],
        cache: true,
        deps: [{ tags: 'get,tool', enable_if_env: { WANT_TOOL: ['yes'] } }],
        new_env_keys: ['CM_RESULT'],
      },
      files: { 'run.sh': '"$CM_TOOL_BIN" > out.txt\n' },
    },
  });
  try {
    const f = footprintOfDep(h.ctx, { tags: 'use,tool' }, {}, 'CM_', newFootprintMemo());
    assert.ok((readsOf(f) as string[]).includes('WANT_TOOL'), "a dep's condition");
    assert.deepEqual(f.exports.env, ['CM_RESULT'], '+PATH of get-tool stops at use-tool');
    assert.equal(f.usesCallerFolder, false, 'cached: its deps run in its own entry');
    assert.equal(f.fileText.length, 2, 'both run.sh');
    const memo = newFootprintMemo();
    const own = footprintOfDep(h.ctx, { tags: 'get,tool' }, {}, 'CM_', memo);
    assert.equal(own.usesCallerFolder, false);
    const named = { tags: 'get,tool', env: { CM_OUTDIRNAME: 'out' } };
    assert.equal(footprintOfDep(h.ctx, named, {}, 'CM_', memo).usesCallerFolder, true);
  } finally {
    h.done();
  }
});

test('tags from the env: exact with the env, every variation without it, unknown for plain tags', () => {
  const h = home({
    'par-sleep': {
      ...SLEEP,
      meta: {
        ...SLEEP.meta,
        variations: { ...SLEEP.meta.variations, 'after.#': { new_env_keys: ['CM_PAR_AFTER'] } },
      },
    },
  });
  try {
    const dep = {
      tags: 'par,sleep,_b',
      update_tags_from_env_with_prefix: { '_after.': ['CM_PAR_A'] },
    };
    const memo = newFootprintMemo();
    const exact = footprintOfDep(h.ctx, dep, {}, 'CM_', memo, { env: {} });
    assert.deepEqual(exact.exports.env, ['CM_PAR_B'], 'CM_PAR_A unset: no _after. variation');
    const withA = footprintOfDep(h.ctx, dep, {}, 'CM_', memo, { env: { CM_PAR_A: 'x' } });
    assert.deepEqual(withA.exports.env, ['CM_PAR_AFTER', 'CM_PAR_B']);
    const any = footprintOfDep(h.ctx, dep, {}, 'CM_', memo);
    assert.deepEqual(any.exports.env, ['CM_PAR_A', 'CM_PAR_AFTER', 'CM_PAR_B'], 'every variation');
    assert.ok((readsOf(any) as string[]).includes('CM_PAR_A'));
    const plain = footprintOfDep(
      h.ctx,
      { tags: 'par,sleep', update_tags_from_env: ['T'] },
      {},
      'CM_',
      memo,
    );
    assert.equal(plain.reads, '*');
    const vars = footprintOfDep(h.ctx, { tags: 'par,sleep,_<<<W>>>' }, {}, 'CM_', memo);
    assert.equal(vars.exports.env, '*');
  } finally {
    h.done();
  }
});

test('a cycle, a missing script and a hook that rewrites deps make the subtree unknown', () => {
  const h = home({
    loop: { meta: { tags: ['loop'], deps: [{ tags: 'loop' }] } },
    rewrites: {
      meta: { tags: ['rewrites'] },
      files: { 'customize.py': "def preprocess(i):\n    i['automation'].update_deps({})\n" },
    },
    plain: { meta: { tags: ['plain'], new_env_keys: ['CM_P'] } },
  });
  try {
    const memo = newFootprintMemo();
    assert.equal(footprintOfDep(h.ctx, { tags: 'loop' }, {}, 'CM_', memo).reads, '*');
    assert.equal(footprintOfDep(h.ctx, { tags: 'no,such' }, {}, 'CM_', memo).reads, '*');
    assert.equal(footprintOfDep(h.ctx, { tags: 'rewrites' }, {}, 'CM_', memo).exports.env, '*');
    const p = footprintOfDep(h.ctx, { tags: 'plain' }, {}, 'CM_', memo);
    assert.deepEqual(p.exports.env, ['CM_P']);
    assert.equal(p.runsSomething, false, 'nothing to run in its folder');
  } finally {
    h.done();
  }
});

test('adr for a dep name reaches the deps below; a walk of 50 scripts is memoized and quick', () => {
  const scripts: Record<string, { meta: object; files?: FileTree }> = {};
  for (let i = 0; i < 50; i++)
    scripts[`s${i}`] = {
      meta: {
        tags: [`s${i}`],
        cache: i % 2 === 0,
        deps: [1, 2, 3]
          .map((k) => i + k)
          .filter((j) => j < 50)
          .map((j) => ({ tags: `s${j}`, names: [`n${j}`] })),
        new_env_keys: [`CM_S${i}`],
      },
      files: { 'run.sh': `echo CM_S${i}=1 > tmp-run-env.out\n` },
    };
  scripts['s49'] = { meta: { tags: ['s49'], variations: { x: { env: { X: '1' } } } } };
  const h = home(scripts);
  try {
    footprintOfDep(h.ctx, { tags: 's49' }, {}, 'CM_', newFootprintMemo()); // the index is built
    const memo = newFootprintMemo();
    const t0 = performance.now();
    const f = footprintOfDep(h.ctx, { tags: 's0' }, { n49: { tags: '_x' } }, 'CM_', memo);
    const ms = performance.now() - t0;
    assert.deepEqual(f.exports.env, ['CM_S0']);
    assert.notEqual(f.reads, '*');
    assert.equal(f.fileText.length, 49);
    assert.ok(memo.scripts.size <= 51, `${memo.scripts.size} scripts walked`);
    assert.ok(ms < 500, `${ms} ms`);
    const bad = footprintOfDep(
      h.ctx,
      { tags: 's0' },
      { n49: { tags: '_nosuch' } },
      'CM_',
      newFootprintMemo(),
    );
    assert.equal(bad.reads, '*', 'the adr asks a variation s49 does not have');
  } finally {
    h.done();
  }
});

test('the par-catalog fixture: which deps of each root may start before which', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cm-footprint-'));
  const fixture = fileURLToPath(new URL('../../../test/fixtures/par-catalog', import.meta.url));
  writeTree(dir, { 'repos.json': JSON.stringify([fixture]) });
  const { context: ctx } = createCm({ home: dir, env: {}, cwd: dir });
  try {
    const memo = newFootprintMemo();
    /** For each dep of `root`: the earlier deps it must wait for. */
    const waits = (root: string): string[] => {
      const [c] = findScripts(ctx, {
        names: [],
        include: ['par', root],
        exclude: [],
        variations: [],
      });
      const meta = c!.meta;
      const deps = meta['deps'] as Dict[];
      const fps = deps.map((d) => footprintOfDep(ctx, d, {}, 'CM_', memo, { env: {} }));
      return fps.map((b, j) =>
        fps
          .slice(0, j)
          .map((a, i) => (conflictOf(a, b) ? i : -1))
          .filter((i) => i >= 0)
          .join(','),
      );
    };
    assert.deepEqual(waits('root'), ['', '', '', '']);
    assert.deepEqual(waits('here'), ['', '0', '0,1', '0,1,2'], 'one folder for all');
    assert.deepEqual(waits('chain'), ['', '0', '', '']);
    assert.deepEqual(waits('tags'), ['', '0', '0', '']);
    assert.deepEqual(waits('fail'), ['', '', '', '']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
