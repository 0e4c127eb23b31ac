// End-to-end: the classic CK program pipeline of the README, compile-program then
// benchmark-program, on examples/tour/hello.c with this machine's compiler.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parallel, root, sandbox } from './helpers.js';

const hasCc = ['gcc', 'clang'].some(
  (c) => spawnSync(c, ['--version'], { stdio: 'ignore' }).status === 0,
);

describe('program pipeline', { ...parallel, skip: !hasCc }, () => {
  test('compile-program builds hello.c; benchmark-program runs it N times with statistics', async () => {
    const s = sandbox('cm-prog-');
    copyFileSync(join(root, 'examples', 'tour', 'hello.c'), join(s.dir, 'hello.c'));
    const c = await s.cm(
      'run',
      'script',
      'compile program',
      '--source=hello.c',
      '--output=hello',
      '--ldflags=-lm',
      '-j',
    );
    assert.equal(c.code, 0, c.stderr);
    assert.equal(c.json().new_env.CM_COMPILED_PROGRAM_WITH_PATH, join(s.dir, 'hello'));
    assert.match(c.stderr, /-c -O2 .*hello\.c -o .*tmp-objs/);
    assert.ok(!existsSync(join(s.dir, 'tmp-objs')), 'objects are cleaned up');
    assert.match(
      spawnSync(join(s.dir, 'hello'), ['10'], { encoding: 'utf8' }).stdout,
      /k <= 10: 1\.5497677/,
    );

    const b = await s.cm(
      'run',
      'script',
      'benchmark program',
      '--run_cmd=./hello 200000',
      '--repetitions=4',
      '--warmup=1',
      '-j',
    );
    assert.equal(b.code, 0, b.stderr);
    const r = b.json();
    const bp = r.new_state.benchmark_program;
    assert.equal(bp.runs.length, 5);
    assert.equal(bp.runs.filter((x) => x.warmup).length, 1);
    const walls = bp.runs.filter((x) => !x.warmup).map((x) => x.wall_s);
    const mean = walls.reduce((a, x) => a + x, 0) / walls.length;
    const sd = Math.sqrt(walls.reduce((a, x) => a + (x - mean) ** 2, 0) / (walls.length - 1));
    assert.ok(Math.abs(bp.stats.wall_s.mean - mean) < 1e-5);
    assert.ok(Math.abs(bp.stats.wall_s.stdev - sd) < 1e-5);
    assert.equal(bp.stats.wall_s.min, Math.min(...walls.map((x) => Number(x.toFixed(6)))));
    assert.ok(
      bp.stats.wall_s.min <= bp.stats.wall_s.median &&
        bp.stats.wall_s.median <= bp.stats.wall_s.max,
    );
    for (const k of ['user_s', 'sys_s']) assert.equal(bp.stats[k].n, 4);
    assert.equal(r.new_env.CM_BENCHMARK_WALL_MEDIAN, String(bp.stats.wall_s.median));
    assert.match(
      b.stderr,
      /4 run\(s\) of: \.\/hello 200000\n\s+min\s+median\s+mean\s+stdev\nwall /,
    );
    // The last run's output is kept with the other run files, not in the working folder.
    assert.match(
      readFileSync(join(s.dir, 'cm-benchmark', 'console.out'), 'utf8'),
      /k <= 200000: 1\.64492/,
    );
    assert.equal(existsSync(join(s.dir, 'console.out')), false);
    const saved = JSON.parse(readFileSync(join(s.dir, 'cm-benchmark', 'results.json'), 'utf8'));
    assert.deepEqual(saved.stats, bp.stats);

    // Without --cmd: CM_RUN_DIR/CM_BIN_NAME, as the reference's program scripts set them.
    const byName = await s.cm(
      'run',
      'script',
      'benchmark program',
      '--env.CM_BIN_NAME=hello',
      '--env.CM_RUN_SUFFIX=1000',
      '-j',
    );
    assert.equal(byName.code, 0, byName.stderr);
    assert.equal(byName.json().new_env.CM_RUN_CMD, `${join(s.dir, 'hello')} 1000`);
  });

  test('bad sources, a compile error and a failing program are explained', async () => {
    const s = sandbox('cm-prog-');
    const none = await s.cm('run', 'script', 'compile program');
    assert.equal(none.code, 1);
    assert.match(none.stderr, /nothing to compile: give --source=FILE\.c/);
    const missing = await s.cm('run', 'script', 'compile program', '--source=nope.c');
    assert.equal(missing.code, 16);
    assert.match(missing.stderr, /source file\(s\) not found: .*nope\.c/);
    writeFileSync(join(s.dir, 'broken.c'), 'int main( { return 0; }\n');
    const broken = await s.cm('run', 'script', 'compile program', '--source=broken.c');
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.c:1:\d+: error/);
    const fails = await s.cm(
      'run',
      'script',
      'benchmark program',
      '--run_cmd=echo oops; exit 3',
      '--repetitions=2',
    );
    assert.equal(fails.code, 2);
    assert.match(fails.stderr, /Run 1 failed with exit status 3; its output:\n.*oops/);
    const reps = await s.cm(
      'run',
      'script',
      'benchmark program',
      '--run_cmd=true',
      '--repetitions=0',
    );
    assert.equal(reps.code, 1);
    assert.match(reps.stderr, /--repetitions must be a whole number >= 1 \(found "0"\)/);
  });
});
