#!/usr/bin/env node
// `npm run bench`: builds synthetic repos of 300 and 10,000 artifacts and times CM queries side by
// side with `node -e 0` measured in the same run. Prints medians and ratios; never fails on numbers.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cm = join(root, 'bin', 'cm.js');
const work = join(root, 'bench', '.work');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const sizes = (process.env.BENCH_SIZES ?? '300,10000').split(',').map(Number);

function hex16(n) {
  return n.toString(16).padStart(16, '0');
}

/** A repo with one automation and `n` artifacts, half _cm.yaml, half _cm.json, ~1 KB of meta each. */
function makeRepo(dir, n) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'automation', 'bench-item'), { recursive: true });
  writeFileSync(
    join(dir, 'cmr.yaml'),
    `alias: bench-${n}\nuid: "${hex16(0xbe00000 + n)}"\ngit: false\n`,
  );
  const auid = 'abcdef0123456789';
  writeFileSync(
    join(dir, 'automation', 'bench-item', '_cm.json'),
    JSON.stringify({
      alias: 'bench-item',
      uid: auid,
      automation_alias: 'automation',
      automation_uid: 'bbeb15d8f0a944a4',
      tags: ['automation'],
    }),
  );
  for (let i = 0; i < n; i++) {
    const alias = `item-${i}`;
    const d = join(dir, 'bench-item', alias);
    mkdirSync(d, { recursive: true });
    const meta = {
      alias,
      uid: hex16(0x1000000 + i),
      automation_alias: 'bench-item',
      automation_uid: auid,
      tags: ['bench', `g${i % 10}`, `i${i}`, 'get', 'item'],
      default_env: { CM_BENCH_INDEX: String(i), CM_BENCH_GROUP: `g${i % 10}` },
      deps: [{ tags: 'detect,os' }, { tags: 'get,python3', names: ['python'] }],
      variations: { small: { env: { SIZE: '1' } }, large: { env: { SIZE: '100' }, group: 'size' } },
      input_mapping: { input: 'CM_INPUT', output: 'CM_OUTPUT' },
    };
    if (i % 2 === 0) {
      const yaml = [
        `alias: ${alias}`,
        `uid: "${meta.uid}"`,
        `automation_alias: bench-item`,
        `automation_uid: ${auid}`,
        `tags:`,
        ...meta.tags.map((t) => `- ${t}`),
        `default_env:`,
        `  CM_BENCH_INDEX: "${i}"`,
        `  CM_BENCH_GROUP: g${i % 10}`,
        `deps:`,
        `- tags: detect,os`,
        `- tags: get,python3`,
        `  names: [python]`,
        `variations:`,
        `  small:`,
        `    env: {SIZE: "1"}`,
        `  large:`,
        `    group: size`,
        `    env: {SIZE: "100"}`,
        `input_mapping: {input: CM_INPUT, output: CM_OUTPUT}`,
      ];
      writeFileSync(join(d, '_cm.yaml'), yaml.join('\n') + '\n');
    } else {
      writeFileSync(join(d, '_cm.json'), JSON.stringify(meta, null, 2));
    }
  }
}

function run(args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && !(args.includes('nothere') && r.status === 0)) {
    throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  }
  return ms;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Interleave the baseline with each query so both see the same machine load. */
function measure(cases, env) {
  const times = new Map(cases.map(([name]) => [name, []]));
  times.set('node -e 0', []);
  for (const [, args] of cases) for (let w = 0; w < 3; w++) run(args, env);
  for (let k = 0; k < RUNS; k++) {
    times.get('node -e 0').push(run(['-e', '0'], env));
    for (const [name, args] of cases) times.get(name).push(run(args, env));
  }
  return new Map([...times].map(([k, v]) => [k, median(v)]));
}

const rows = [];
for (const n of sizes) {
  const home = join(work, `home-${n}`);
  const repo = join(work, `repo-${n}`);
  rmSync(home, { recursive: true, force: true });
  process.stderr.write(`building a repo of ${n} artifacts ...\n`);
  makeRepo(repo, n);
  const env = { ...process.env, CM_REPOS: home };
  delete env.CM_DEBUG;
  run([cm, 'import', 'repo', `--path=${repo}`], env);
  // Cold index build: no index file, every meta parsed once.
  const colds = [];
  for (let k = 0; k < 3; k++) {
    rmSync(join(home, 'index-ts.bin'), { force: true });
    colds.push(run([cm, 'find', 'bench-item', '--tags=i42'], env));
  }
  run([cm, 'find', 'bench-item', '--tags=i42'], env);
  const target = n >= 10000 ? 2 : 1.3;
  const q = n >> 1;
  const cases = [
    ['cm find --tags', [cm, 'find', 'bench-item', `--tags=bench,g${q % 10},i${q}`]],
    ['cm load', [cm, 'load', 'bench-item', `item-${q}`]],
    ['cm ls', [cm, 'ls', 'bench-item']],
    ['cm find (miss)', [cm, 'find', 'bench-item', 'nothere']],
  ];
  const med = measure(cases, env);
  const base = med.get('node -e 0');
  rows.push({ n, name: 'node -e 0', ms: base, ratio: 1, target: '' });
  for (const [name] of cases) {
    const ms = med.get(name);
    rows.push({ n, name, ms, ratio: ms / base, target: `<= ${target}x` });
  }
  rows.push({
    n,
    name: 'cold index build (incl. start-up)',
    ms: median(colds),
    ratio: undefined,
    target: n >= 10000 ? '< 5000 ms' : '',
  });
}

/** A fresh repo of scripts at `dir`; returns write(alias, uid, meta, files) for its scripts. */
function scriptRepo(dir, repoAlias, repoUid) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cmr.yaml'), `alias: ${repoAlias}\nuid: "${repoUid}"\ngit: false\n`);
  return (alias, uid, meta, files = {}) => {
    const d = join(dir, 'script', alias);
    mkdirSync(d, { recursive: true });
    const full = {
      alias,
      uid,
      automation_alias: 'script',
      automation_uid: '5b4e0237da074764',
      ...meta,
    };
    writeFileSync(join(d, '_cm.yaml'), JSON.stringify(full, null, 1) + '\n');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  };
}

/**
 * A repo of `n` scripts like the published ones (variations, deps, input mapping), plus a
 * 50-script tree: a deps-only root, 9 deps-only inner scripts and 40 cached leaves with a run.sh.
 */
function makeScriptRepo(dir, n) {
  const scriptWrite = scriptRepo(dir, 'bench-scripts', hex16(0xbf00000));
  const write = (alias, uid, meta, run) =>
    scriptWrite(alias, uid, meta, run ? { 'run.sh': `#!/bin/bash\n${run}\n` } : {});
  for (let i = 0; i < n; i++) {
    write(
      `bench-script-${i}`,
      hex16(0x2000000 + i),
      {
        tags: ['bench', 'script', `s${i}`, `g${i % 10}`],
        cache: i % 2 === 0,
        default_env: { BENCH_I: String(i) },
        input_mapping: { input: 'CM_INPUT', size: 'BENCH_SIZE' },
        new_env_keys: ['BENCH_*'],
        variations: {
          fp32: { group: 'precision', default: true, env: { BENCH_PREC: 'fp32' } },
          fp16: { group: 'precision', env: { BENCH_PREC: 'fp16' } },
          'batch.#': { env: { BENCH_BATCH: '#' } },
        },
        deps: [
          { tags: 'tree,leaf,l0', names: ['leaf'] },
          { tags: 'tree,leaf,l1', enable_if_env: { BENCH_NEVER: ['yes'] } },
        ],
      },
      'echo BENCH_DONE=1 > tmp-run-env.out',
    );
  }
  for (let j = 0; j < 40; j++) {
    write(
      `tree-leaf-${j}`,
      hex16(0x3000000 + j),
      {
        tags: ['tree', 'leaf', `l${j}`],
        cache: true,
        new_env_keys: ['TREE_*'],
        variations: { fp32: { group: 'p', default: true }, fp16: { group: 'p' } },
      },
      `echo TREE_L${j}=1 > tmp-run-env.out`,
    );
  }
  for (let k = 0; k < 9; k++) {
    write(`tree-inner-${k}`, hex16(0x3100000 + k), {
      tags: ['tree', 'inner', `n${k}`],
      new_env_keys: ['TREE_*'],
      deps: Array.from({ length: 40 / 8 }, (_, m) => ({ tags: `tree,leaf,l${(k * 5 + m) % 40}` })),
    });
  }
  // The same shape with every script cached: a re-run is answered by the root's entry.
  for (let k = 0; k < 9; k++) {
    write(
      `ctree-inner-${k}`,
      hex16(0x3300000 + k),
      {
        tags: ['ctree', 'inner', `n${k}`],
        cache: true,
        new_env_keys: ['TREE_*'],
        deps: Array.from({ length: 40 / 8 }, (_, m) => ({
          tags: `tree,leaf,l${(k * 5 + m) % 40}`,
        })),
      },
      'echo TREE_INNER=1 > tmp-run-env.out',
    );
  }
  write(
    'ctree-root',
    hex16(0x3400000),
    {
      tags: ['ctree', 'root'],
      cache: true,
      new_env_keys: ['TREE_*'],
      deps: Array.from({ length: 9 }, (_, k) => ({ tags: `ctree,inner,n${k}` })),
    },
    'echo TREE_ROOT=1 > tmp-run-env.out',
  );
  write('tree-root', hex16(0x3200000), {
    tags: ['tree', 'root'],
    new_env_keys: ['TREE_*'],
    deps: Array.from({ length: 9 }, (_, k) => ({ tags: `tree,inner,n${k}` })),
  });
}

if (sizes.includes(300) && process.env.BENCH_SCRIPTS !== 'no') {
  const home = join(work, 'home-scripts');
  const repo = join(work, 'repo-scripts');
  rmSync(home, { recursive: true, force: true });
  process.stderr.write('building a repo of 300 scripts and a 50-script tree ...\n');
  makeScriptRepo(repo, 300);
  const env = { ...process.env, CM_REPOS: home };
  delete env.CM_DEBUG;
  run([cm, 'import', 'repo', `--path=${repo}`], env);
  // First runs fill the cache (40 leaves run their run.sh once).
  run([cm, 'run', 'script', 'tree root', '--quiet', '-s'], env);
  run([cm, 'run', 'script', 'ctree root', '--quiet', '-s'], env);
  const cases = [
    [
      'select 1 of 300 scripts + plan',
      [cm, 'run', 'script', 'bench script s150 _fp16 _batch.8', '--dry-run', '--quiet', '-s'],
    ],
    ['cached re-run of a 50-script tree', [cm, 'run', 'script', 'ctree root', '--quiet', '-s']],
    ['re-walk: 10 deps-only + 40 cached', [cm, 'run', 'script', 'tree root', '--quiet', '-s']],
    [
      'plan of the 50-script tree',
      [cm, 'run', 'script', 'tree root', '--dry-run', '--quiet', '-s'],
    ],
  ];
  const med = measure(cases, env);
  const base = med.get('node -e 0');
  rows.push({ n: 'scripts', name: 'node -e 0', ms: base, ratio: 1, target: '' });
  const targets = {
    'select 1 of 300 scripts + plan': 1.3,
    'cached re-run of a 50-script tree': 1.5,
  };
  for (const [name] of cases) {
    const ms = med.get(name);
    rows.push({
      n: 'scripts',
      name,
      ms,
      ratio: ms / base,
      target: targets[name] ? `<= ${targets[name]}x` : '',
    });
  }
}

/** Python hooks: a root with 30 deps, each with preprocess and postprocess in customize.py (61
 * hook calls), against the same tree without hooks; the worker starts once per cm process. */
if (process.env.BENCH_PYTHON !== 'no' && sizes.includes(300)) {
  const home = join(work, 'home-python');
  const repo = join(work, 'repo-python');
  rmSync(home, { recursive: true, force: true });
  const scriptWrite = scriptRepo(repo, 'bench-python', hex16(0xbf10000));
  const hooks =
    "def preprocess(i):\n    i['env']['PYB_PRE'] = '1'\n    return {'return': 0}\n\n" +
    "def postprocess(i):\n    return {'return': 0}\n";
  const write = (alias, uid, meta, withHooks) =>
    scriptWrite(alias, uid, meta, withHooks ? { 'customize.py': hooks } : {});
  for (const kind of ['py', 'plain']) {
    for (let k = 0; k < 30; k++)
      write(
        `${kind}-leaf-${k}`,
        hex16(0x4000000 + (kind === 'py' ? 0 : 0x1000) + k),
        { tags: [kind, 'leaf', `l${k}`] },
        kind === 'py',
      );
    write(
      `${kind}-root`,
      hex16(0x4100000 + (kind === 'py' ? 0 : 1)),
      {
        tags: [kind, 'root'],
        deps: Array.from({ length: 30 }, (_, k) => ({ tags: `${kind},leaf,l${k}` })),
      },
      kind === 'py',
    );
  }
  const env = { ...process.env, CM_REPOS: home };
  delete env.CM_DEBUG;
  run([cm, 'import', 'repo', `--path=${repo}`], env);
  const cases = [
    ['1 script, Python hooks', [cm, 'run', 'script', 'py leaf l0', '--quiet', '-s']],
    ['1 script, no hooks', [cm, 'run', 'script', 'plain leaf l0', '--quiet', '-s']],
    ['31 scripts, 61 Python hook calls', [cm, 'run', 'script', 'py root', '--quiet', '-s']],
    ['31 scripts, no hooks', [cm, 'run', 'script', 'plain root', '--quiet', '-s']],
  ];
  const med = measure(cases, env);
  const base = med.get('node -e 0');
  rows.push({ n: 'python', name: 'node -e 0', ms: base, ratio: 1, target: '' });
  for (const [name] of cases)
    rows.push({ n: 'python', name, ms: med.get(name), ratio: med.get(name) / base, target: '' });
  const startup = med.get('1 script, Python hooks') - med.get('1 script, no hooks');
  const perCall =
    (med.get('31 scripts, 61 Python hook calls') - med.get('31 scripts, no hooks') - startup) / 59;
  rows.push({
    n: 'python',
    name: 'worker start-up + first 2 calls (ms)',
    ms: startup,
    ratio: undefined,
    target: '',
  });
  rows.push({
    n: 'python',
    name: 'overhead per further hook call (ms)',
    ms: perCall,
    ratio: undefined,
    target: '< 2 ms',
    check: perCall < 2,
  });
}

const { statBackend } = await import('../dist/db/fast-stat.js');
const lines = [
  '',
  `CM benchmark (median of ${RUNS} runs; node ${process.version}; ${process.platform}/${process.arch}; stat: ${statBackend()})`,
  '',
];
lines.push(
  `${'artifacts'.padEnd(10)} ${'query'.padEnd(36)} ${'ms'.padStart(8)} ${'x node'.padStart(7)}  target   ok`,
);
for (const r of rows) {
  let ok = '';
  if (r.target.startsWith('<=')) ok = r.ratio <= Number(r.target.slice(3, -1)) ? 'yes' : 'NO';
  else if (r.check !== undefined) ok = r.check ? 'yes' : 'NO';
  else if (r.target.startsWith('<')) ok = r.ms < 5000 ? 'yes' : 'NO';
  lines.push(
    `${String(r.n).padEnd(10)} ${r.name.padEnd(36)} ${r.ms.toFixed(1).padStart(8)} ${r.ratio === undefined ? ''.padStart(7) : r.ratio.toFixed(2).padStart(7)}  ${r.target.padEnd(8)} ${ok}`.trimEnd(),
  );
}
console.log(lines.join('\n'));
