import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISTROS, distroOf, distroVersion } from './distros.js';
import { imageRefOf } from './image-ref.js';
import { innerCommandWords, pruneInput } from './inner-command.js';
import { commandLine, quoteWord } from '../shell-words.js';
import { containerPathOf, planMounts, splitMount } from './mounts.js';
import { containerSettings, flatDockerInput } from './settings.js';

test('mounts split at the last colon; a drive letter is no split', () => {
  assert.deepEqual(splitMount('/a:b:/c'), ['/a:b', '/c']);
  assert.equal(splitMount('C:'), undefined);
  assert.equal(splitMount('/only'), undefined);
  assert.equal(containerPathOf('C:\\data\\x'), '/cm-mount/data/x');
});

test('a mount of a file path mounts its folder; literal mounts stay as given', () => {
  const plan = planMounts({
    specs: ['${{ F }}:${{ F }}', '/opt/models:/models', '${{ NOPE }}:/x'],
    env: { F: '/data/val.txt' },
    inputMapping: { val: 'F' },
    input: { val: '/data/val.txt' },
    filePathEnvKeys: [],
    isFile: (p) => p.endsWith('.txt'),
    absolute: (p) => (p.startsWith('/') ? p : `/work/${p}`),
  });
  assert.deepEqual(plan.mounts, [
    { host: '/data', container: '/cm-mount/data' },
    { host: '/opt/models', container: '/models' },
  ]);
  assert.deepEqual(plan.envOverrides, { F: '/cm-mount/data/val.txt' });
  assert.deepEqual(plan.inputOverrides, { val: '/cm-mount/data/val.txt' });
  assert.deepEqual(plan.warnings, ['mount ${{ NOPE }}:/x left out: NOPE is not set']);
});

test("relative host paths are the working folder's; the host's / is never mounted", () => {
  const plan = planMounts({
    specs: ['${{ F }}:${{ F }}', '${{ D }}:${{ D }}', '/:/host'],
    env: { F: 'model.onnx', D: 'data/' },
    inputMapping: { input: 'F' },
    input: { input: 'model.onnx' },
    filePathEnvKeys: ['F'],
    isFile: () => false,
    absolute: (p) => (p.startsWith('/') ? p : `/work/${p}`),
  });
  assert.deepEqual(plan.mounts, [
    { host: '/work', container: '/cm-mount/work' },
    { host: '/work/data', container: '/cm-mount/work/data' },
  ]);
  assert.deepEqual(plan.inputOverrides, { input: '/cm-mount/work/model.onnx' });
  assert.deepEqual(plan.warnings, [
    "mount /:/host left out: it would mount the host's / into the container",
  ]);
});

test('the inner command: host keys, tmp env, host paths and secrets left out; words quoted for bash', () => {
  const p = pruneInput({
    action: 'docker',
    tags: 'x',
    docker_os: 'ubuntu',
    docker: { os: 'x' },
    env: { CM_TMP_X: '1', A: 'a b', P: '/h/CM/repos/local/cache/1/f', HF_TOKEN: 'abcdefgh' },
    url: 'https://u:pw@h/x',
    s: true,
  });
  assert.deepEqual(p.secretEnvKeys, ['HF_TOKEN']);
  assert.deepEqual(p.droppedSecrets, ['url']);
  // Nested and listed secrets are found too, and left out whole.
  const nested = pruneInput({
    env: { X: ['https://u:pw12345@h/x', 'plain'] },
    adr: { dl: { env: { HF_TOKEN: 'hf_abcdef' } } },
    urls: ['https://u:pw@h/y'],
    keep: { a: [1, 'b'] },
  });
  assert.deepEqual(nested.droppedSecrets.sort(), ['adr', 'env.X', 'urls']);
  assert.deepEqual(nested.input, { env: {}, keep: { a: [1, 'b'] } });
  const words = innerCommandWords({
    tags: ['x', '_v'],
    scriptAlias: 'x-script',
    input: p.input,
    envOverrides: {},
    inputOverrides: {},
    secretEnvKeys: p.secretEnvKeys,
    extra: ['--quiet'],
  });
  assert.equal(
    commandLine(words),
    "cm run script --tags=x,_v -s '--env.A=a b' --secret.HF_TOKEN --quiet",
  );
  assert.equal(quoteWord("it's"), `'it'\\''s'`);
  assert.equal(quoteWord(''), "''");
});

test('image references: lowercase, allowed characters, tag from the base image', () => {
  const ref = imageRefOf({
    tags: ['app', '_onnx', 'Upper+'],
    baseImage: 'nvcr.io/nvidia/pytorch:24.03-py3',
    imageRepo: 'Local',
    imageName: undefined,
    imageTagExtra: '-latest',
  });
  assert.equal(
    ref.ref,
    'local/cm-script-app-onnx-upperplus:nvcr.io-nvidia-pytorch-24.03-py3-latest',
  );
});

test('settings: a flag beats --docker.KEY and the meta; podman defaults to root', () => {
  const input = flatDockerInput({
    docker: { os: 'debian', shm_size: '1g' },
    docker_shm_size: '2g',
  });
  const s = containerSettings(input, { os: 'rhel', shm_size: '8g', run: false }, 'podman');
  assert.equal(s.os, 'debian');
  assert.equal(s.shmSize, '2g');
  assert.equal(s.user, 'root');
  assert.equal(s.runAllowed, false);
  assert.equal(containerSettings({}, {}, 'docker').user, 'cmuser');
  assert.equal(containerSettings({}, {}, 'docker').runAllowed, true);
});

test('distros: defaults, known versions, unknown ones refused unless a base image is given', () => {
  assert.equal(distroVersion('ubuntu', undefined), '22.04');
  assert.equal(distroOf('debian').image('12'), 'debian:12');
  assert.throws(() => distroVersion('ubuntu', '9.9'), /not a known version of ubuntu/);
  assert.equal(distroVersion('ubuntu', '9.9', 'my/ubuntu:9.9'), '9.9');
  assert.throws(
    () => distroOf('ubunt'),
    (e: Error & { hint?: string }) => /did you mean "ubuntu"/.test(e.hint ?? ''),
  );
  for (const d of Object.values(DISTROS)) assert.ok(d.install(d.packages).length > 0);
});
