// Fixture scripts for the script-automation tests: small scripts written into a sandbox's local
// repo (searched first), each with a meta (YAML), a run.sh and optionally a customize.js.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { root, sandbox } from './helpers.js';

/** A stable uid per alias (16 hex) so tests can name scripts by uid. */
export function uidOf(alias) {
  return createHash('sha1').update(alias).digest('hex').slice(0, 16);
}

function yamlValue(v, indent) {
  return JSON.stringify(v, null, 0).replace(/\n/g, `\n${indent}`);
}

/** JSON is valid YAML: metas are written as _cm.yaml holding JSON. */
function metaText(alias, meta) {
  return yamlValue(
    {
      alias,
      uid: uidOf(alias),
      automation_alias: 'script',
      automation_uid: '5b4e0237da074764',
      ...meta,
    },
    '',
  );
}

/**
 * Write scripts: { alias: { meta: {...}, run?: 'shell body', files?: {name: text}, customize?: 'js' } }.
 * `run` becomes run.sh (with a bash shebang); `customize` becomes customize.js.
 */
export function writeScripts(s, scripts) {
  for (const [alias, def] of Object.entries(scripts)) {
    const dir = s.local('script', alias);
    const tree = { '_cm.yaml': metaText(alias, def.meta ?? {}) };
    if (def.run !== undefined) tree['run.sh'] = `#!/bin/bash\n${def.run}\n`;
    if (def.customize !== undefined) tree['customize.js'] = def.customize;
    Object.assign(tree, def.files ?? {});
    s.write(tree, dir);
    for (const f of Object.keys(tree)) if (f.endsWith('.sh')) chmodSync(join(dir, f), 0o755);
  }
}

/** A sandbox holding these scripts; `s.run(...args)` is `cm run script ... --quiet`. */
export function scriptSandbox(scripts) {
  const s = sandbox('cm-script-');
  writeScripts(s, scripts);
  s.run = (...args) => s.cm('run', 'script', ...args, '--quiet');
  s.runJ = async (...args) => {
    const r = await s.cm('run', 'script', ...args, '--quiet', '-j', '-s');
    if (r.code !== 0)
      throw new Error(`cm run script ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.json();
  };
  s.log = (name = 'log.txt') => readFileSync(join(s.dir, name), 'utf8');
  s.writeScripts = (more) => writeScripts(s, more);
  s.writeFile = (p, text) => writeFileSync(p, text);
  return s;
}

/** Finished and unfinished cache entries of a sandbox: [{uid, path, meta, tags}] (hidden folders left out). */
export function cacheEntries(s) {
  const root = s.local('cache');
  if (!existsSync(root)) return [];
  const out = [];
  for (const uid of readdirSync(root).sort()) {
    if (uid.startsWith('.')) continue;
    const path = join(root, uid);
    const file = join(path, '_cm.json');
    if (!existsSync(file)) continue;
    const meta = JSON.parse(readFileSync(file, 'utf8'));
    out.push({ uid, path, meta, tags: Array.isArray(meta.tags) ? meta.tags : [] });
  }
  return out;
}

/** Lines of a log file in the sandbox folder ([] when it does not exist). */
export function logLines(s, name = 'log.txt') {
  const file = join(s.dir, name);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

/** The variations of meta `V` in the spec's acceptance scenarios (section B). */
export const V_VARIATIONS = {
  fp32: { group: 'prec', default: true, env: { T_PREC: 'fp32' } },
  fp16: { group: 'prec', env: { T_PREC: 'fp16' } },
  onnx: { env: { T_FMT: 'onnx' } },
  o: { alias: 'onnx' },
  'onnx,fp16': { env: { T_COMBO: 'onnx-fp16' } },
  'bs.#': { env: { T_BS: '#' } },
  full: { base: ['onnx'], env: { T_FULL: 'yes' } },
};

// The hook worker must run a real interpreter even when fake python3s come first on PATH.
const realPython = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).stdout.trim();

const FAKE_PYTHON = `#!/bin/sh
here=$(cd "$(dirname "$0")/.." && pwd)
case "$1" in
  --version) echo "Python @VERSION@" ;;
  -m)
    [ "$2" = pip ] || exit 2
    case "$3" in
      show)
        f="$here/site-packages/$4.version"
        [ -f "$f" ] || { echo "WARNING: Package(s) not found: $4" >&2; exit 1; }
        echo "Name: $4"; echo "Version: $(cat "$f")"; echo "Location: $here/site-packages" ;;
      install)
        spec="$4"; name="\${spec%%==*}"; ver="\${spec#*==}"
        [ "$ver" = "$spec" ] && ver=1.0.0
        echo "$ver" > "$here/site-packages/$name.version"
        echo "Successfully installed $name-$ver" ;;
    esac ;;
esac
`;

/**
 * PATH without pyenv's shims: the fixtures' interpreter searches try every python3* on PATH, and
 * each of the dozen shims costs a pyenv start (0.3-1 s) where the fake interpreters come first
 * anyway. Hooks get the real Python through CM_PYTHON.
 */
function systemPath() {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((d) => !/[\\/]\.pyenv[\\/]shims$/.test(d));
}

/**
 * A sandbox with the fixture repo test/fixtures/NAME (a catalog in the style of cm4mlops or of
 * mlperf-automations) copied and imported; `s.fakePython(name, version, pkgs)` makes
 * PREFIX/bin/python3, a shell script that answers --version and pip show/install.
 */
export async function catalogSandbox(name) {
  const s = sandbox(`${name}-`);
  const repo = join(s.dir, name);
  cpSync(join(root, 'test', 'fixtures', name), repo, { recursive: true });
  s.repo = repo;
  const imp = await s.cm('import', 'repo', '--path=' + repo);
  assert.equal(imp.code, 0, imp.stderr);
  s.paths = [];
  s.fakePython = (name, version, pkgs = {}) => {
    const prefix = join(s.dir, name);
    mkdirSync(join(prefix, 'bin'), { recursive: true });
    mkdirSync(join(prefix, 'site-packages'), { recursive: true });
    const bin = join(prefix, 'bin', 'python3');
    writeFileSync(bin, FAKE_PYTHON.replace('@VERSION@', version));
    chmodSync(bin, 0o755);
    for (const [p, v] of Object.entries(pkgs))
      writeFileSync(join(prefix, 'site-packages', `${p}.version`), `${v}\n`);
    return prefix;
  };
  s.env = () => ({
    CM_PYTHON: realPython,
    PATH: [...s.paths, ...systemPath()].join(delimiter),
  });
  s.run = (...args) => s.cmWith(s.env(), 'run', 'script', ...args, '--quiet', '-j', '-s');
  s.runJ = async (...args) => {
    const r = await s.run(...args);
    assert.equal(r.code, 0, `cm run script ${args.join(' ')}: ${r.stderr}`);
    return r.json();
  };
  return s;
}

/** A catalog sandbox with two fake interpreters on PATH: 3.9.7 (first) and 3.11.4 (with numpy). */
export async function catalogWithPythons(name) {
  const s = await catalogSandbox(name);
  const a = s.fakePython('pyA', '3.9.7');
  const b = s.fakePython('pyB', '3.11.4', { numpy: '1.26.4' });
  s.paths.push(join(a, 'bin'), join(b, 'bin'));
  return { s, a, b };
}
