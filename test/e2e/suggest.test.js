// cm suggest through the real CLI: requests in plain words (typos and synonyms included) find the
// intended script of the built-in library or of the CM and MLC fixture catalogs in the top 3,
// with a command line that selects it; -j; "nothing close"; bad input; a search as fresh as the
// artifact index (a script added or edited after a search is found by the next one).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { root, sandbox } from './helpers.js';

const REQUESTS = [
  ['detect the operating system', 'detect-os'],
  ['which OS am I on', 'detect-os'],
  ['unpack a tar.gz archive', 'extract-file'],
  ['decompress a zip', 'extract-file'],
  ['download a file from a url', 'download-file'],
  ['download and unpack an archive', 'download-and-extract'],
  ['get the resnet50 model in onnx', 'get-ml-model-resnet50'],
  ['imagenet validation images', 'get-dataset-imagenet-val'],
  ['preprocess the imagenet dataset', 'get-preprocessed-dataset-imagenet'],
  ['make a python virtual environment', 'install-python-venv'],
  ['clone a git repository', 'get-git-repo'],
  ['compile a C program', 'compile-program'],
  ['gcc compiler', 'get-gcc'],
  ['cuda toolkit', 'get-cuda'],
  ['cmkae', 'get-cmake'],
  ['what processor does this machine have', 'detect-cpu'],
  ['can I use sudo', 'detect-sudo'],
  ['score the accuracy of an mlperf run', 'process-mlperf-accuracy'],
  ['check an mlperf submission', 'run-mlperf-inference-submission-checker'],
  ['install a pip package', 'get-generic-python-lib'],
  ['benchmark a program', 'benchmark-program'],
  ['print hello', 'print-hello-mlc'],
  ['check the system requirements', 'check-system-requirements'],
  ['run the fake benchmark', 'run-benchmark-fake'],
  ['host information', 'detect-host-info'],
  ['get a pyhton package', 'get-python-package'],
];

describe('cm suggest', { concurrency: 4 }, () => {
  const s = sandbox('cm-suggest-');
  before(async () => {
    for (const cat of ['cm-catalog', 'mlc-catalog']) {
      const r = await s.cm('import', 'repo', `--path=${join(root, 'test', 'fixtures', cat)}`);
      assert.equal(r.code, 0, r.stderr);
    }
    // The first search builds the search index; the others read it back.
    assert.equal((await s.cm('suggest', 'warm up')).code, 0);
  });
  after(() => s.cleanup());

  for (const [request, alias] of REQUESTS)
    test(`"${request}" → ${alias} in the top 3`, async () => {
      const r = await s.cm('suggest', request, '-j', '--limit=3');
      assert.equal(r.code, 0, r.stderr);
      const got = r.json().suggestions.map((x) => x.alias);
      assert.ok(got.includes(alias), `${alias} not in ${got.join(', ')}`);
    });

  test('a suggestion says what the script does and gives a command line that selects it', async () => {
    const r = await s.cm('suggest', 'download', 'the', 'resnet50', 'model', 'in', 'onnx', '-j');
    const top = r.json().suggestions[0];
    assert.equal(top.alias, 'get-ml-model-resnet50');
    assert.match(top.description, /ResNet-50/);
    assert.deepEqual(top.variations, ['onnx']);
    assert.match(top.command, /^cmr "get .*resnet50.* _onnx"$/);
    assert.ok(top.score > 0 && top.matched.includes('resnet50'), JSON.stringify(top));
    // The command runs what was suggested: its plan selects that very script.
    const tags = top.command.slice('cmr "'.length, -1);
    const plan = await s.cm('run', 'script', tags, '--dry-run', '-j', '-s');
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /get-ml-model-resnet50/);
    // An MLC catalog's script is suggested with mlcr.
    const mlc = (await s.cm('suggest', 'host info', '-j')).json().suggestions[0];
    assert.equal(mlc.alias, 'detect-host-info');
    assert.match(mlc.command, /^mlcr "/);
    // As text: numbered, with the command line.
    const text = await s.cm('suggest', 'detect the operating system');
    assert.match(text.stdout, /^1\. detect-os {2}\(repo internal, score [\d.]+\)\n/);
    assert.match(text.stdout, /\n {3}cmr "detect os"\n/);
  });

  test('an absurd request answers "nothing close" with the nearest tags', async () => {
    const r = await s.cm('suggest', 'xyzzy', 'qwertz', '-j');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json().suggestions, []);
    const text = await s.cm('suggest', 'pythn', 'xyzzyq');
    assert.match(text.stdout, /nothing close|python/);
    const none = await s.cm('suggest', 'zzzzqqqq');
    assert.match(none.stdout, /^nothing close to "zzzzqqqq"/);
  });

  test('bad input: no words, a bad --limit, an unknown flag; --help', async () => {
    const empty = await s.cm('suggest');
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /give a few words/);
    const limit = await s.cm('suggest', 'python', '--limit=0');
    assert.equal(limit.code, 1);
    assert.match(limit.stderr, /--limit=0 is not a positive number/);
    const flag = await s.cm('suggest', 'python', '--frobnicate');
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /frobnicate/);
    const help = await s.cm('suggest', '--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /usage: cm suggest "WORDS…"/);
  });
});

test('cm suggest is as fresh as the artifact index: a script added or edited is found next time', async () => {
  const s = sandbox('cm-suggest-fresh-');
  assert.deepEqual((await s.cm('suggest', 'frobnicator', '-j')).json().suggestions, []);
  const meta = (description) =>
    JSON.stringify({
      alias: 'tune-frobnicator',
      uid: 'f0b0000000000001',
      automation_alias: 'script',
      automation_uid: '5b4e0237da074764',
      tags: ['tune', 'frobnicator'],
      description,
    });
  s.write(
    { script: { 'tune-frobnicator': { '_cm.json': meta('Tunes the frobnicator.') } } },
    s.local(),
  );
  const found = (await s.cm('suggest', 'frobnicator', '-j')).json().suggestions;
  assert.equal(found[0]?.alias, 'tune-frobnicator');
  assert.match(found[0].description, /Tunes the frobnicator/);
  s.write(
    { script: { 'tune-frobnicator': { '_cm.json': meta('Calibrates the widget array.') } } },
    s.local(),
  );
  const edited = (await s.cm('suggest', 'calibrate widgets', '-j')).json().suggestions;
  assert.equal(edited[0]?.alias, 'tune-frobnicator');
  s.cleanup();
});
