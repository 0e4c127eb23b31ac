// `cm docker script … --dockerfile-only` through the real CLI (spec docker.md §11, scenarios 1–11
// and 16, which need no container engine): the Dockerfile's sections in order, base images and
// their file names, repos, secrets kept out of every file, image names, mounts and the inner
// command, run options, Podman (a `docker` on PATH that says it is podman), docker.run false, the
// launch script, and the same input giving the same bytes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parallel, root, sandbox } from './helpers.js';

const catalog = join(root, 'test', 'fixtures', 'docker-catalog');

/** A sandbox with the docker fixtures; `gen(...args)` runs --dockerfile-only -j and reads the Dockerfile. */
async function setup(env = {}) {
  const s = sandbox('cm-docker-');
  const r = await s.cm('import', 'repo', `--path=${catalog}`, '-s');
  assert.equal(r.code, 0, r.stderr);
  const gen = async (...args) => {
    // Docker unless a test says otherwise: the machine may have Podman, or neither.
    const engine = args.some((a) => a.startsWith('--engine')) ? [] : ['--engine=docker'];
    const out = await s.cmWith(
      env,
      'docker',
      'script',
      ...args,
      ...engine,
      '--dockerfile-only',
      '-j',
    );
    assert.equal(out.code, 0, out.stderr + out.stdout);
    const j = out.json();
    return { ...j, out, text: readFileSync(j.dockerfile, 'utf8') };
  };
  return { s, gen };
}

/** Index of the first line of `text` matching `re` (fails when none). */
function lineOf(text, re) {
  const i = text.split('\n').findIndex((l) => re.test(l));
  assert.ok(i >= 0, `no line matches ${re} in:\n${text}`);
  return i;
}

describe('cm docker script --dockerfile-only', parallel, () => {
  test('1: the sections in order, the fake run, printed path and inner command', async () => {
    const { s, gen } = await setup();
    const r = await gen('--tags=detect,os', '--docker_os=ubuntu', '--docker_os_version=22.04');
    assert.match(r.dockerfile, /dockerfiles\/ubuntu_22\.04\.Dockerfile$/);
    const lines = r.text.split('\n').filter((l) => l && !l.startsWith('#'));
    assert.equal(lines[0], 'FROM ubuntu:22.04');
    const order = [
      /^RUN dpkg -s .*apt-get install/,
      /^RUN groupadd/,
      /^USER cmuser:cm/,
      /^COPY cm \/opt\/cm/,
      /^RUN python3 -m venv/,
      /^RUN cm run script/,
    ];
    const at = order.map((re) => lineOf(r.text, re));
    assert.deepEqual(
      [...at].sort((a, b) => a - b),
      at,
      'sections out of order',
    );
    const runs = r.text.split('\n').filter((l) => l.startsWith('RUN '));
    assert.match(runs.at(-1), /^RUN cm run script --tags=detect,os .*--fake_run.*--quiet/);
    assert.match(r.text, /^LABEL org\.opencontainers\.image\.title="cm-script-detect-os"/m);
    assert.equal(r.inner_cmd, 'cm run script --tags=detect,os --env.CM_RUN_STATE_DOCKER=True');
    assert.ok(existsSync(join(r.context, 'cm', 'dist', 'cm.cjs')), 'CM is in the build context');
    assert.ok(
      existsSync(join(r.context, 'cm', 'node', 'bin', 'node')),
      'Node is in the build context',
    );
    assert.equal(readFileSync(join(r.context, '.dockerignore'), 'utf8'), '.git\n');
    const shown = await s.cm(
      'docker',
      'script',
      '--tags=detect,os',
      '--engine=docker',
      '--dockerfile-only',
    );
    assert.match(shown.stderr, /Dockerfile: .*ubuntu_22\.04\.Dockerfile/);
    assert.match(shown.stderr, /regenerated.*\n\s+cm run script --tags=detect,os/);
    assert.match(
      shown.stdout,
      /^docker build .* -t local\/cm-script-detect-os:ubuntu-22\.04-latest /m,
    );
  });

  test('the same input writes the same bytes', async () => {
    const { gen } = await setup();
    const a = await gen('detect os', '--docker_os=debian');
    const b = await gen('detect os', '--docker_os=debian');
    assert.equal(a.text, b.text);
    assert.match(a.text, /^FROM debian:12$/m);
    assert.doesNotMatch(a.text, /\/tmp\//, 'no host path in the Dockerfile');
  });

  test('2: a base image and its file name; an unknown OS fails before writing', async () => {
    const { s, gen } = await setup();
    const r = await gen('--tags=detect,os', '--docker_base_image=nvcr.io/nvidia/pytorch:24.03-py3');
    assert.match(r.text, /^FROM nvcr\.io\/nvidia\/pytorch:24\.03-py3$/m);
    assert.match(r.dockerfile, /\/pytorch-24\.03-py3\.Dockerfile$/);
    const bad = await s.cm(
      'docker',
      'script',
      '--tags=detect,os',
      '--docker_os=solaris',
      '--dockerfile-only',
    );
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /--docker_os=solaris: not a distribution.*\n.*ubuntu, debian, rhel, arch/,
    );
    const v = await s.cm(
      'docker',
      'script',
      '--tags=detect,os',
      '--docker_os_version=7.1',
      '--dockerfile-only',
    );
    assert.match(v.stderr, /--docker_os_version=7\.1: not a known version of ubuntu/);
  });

  test('3: a repo to pull (URL → owner@name, branch); a local repo is copied in, not pulled', async () => {
    const { gen } = await setup();
    const r = await gen(
      '--tags=detect,os',
      '--docker_cm_repo=https://github.com/foo/bar.git',
      '--docker_cm_repo_branch=dev',
    );
    assert.match(r.text, /^RUN cm pull repo foo@bar --branch=dev$/m);
    const local = await gen('--tags=dk,echo');
    assert.match(
      local.text,
      /^COPY --chown=cmuser:cm repos\/docker-catalog-fixture \/home\/cmuser\/CM\/repos\/docker-catalog-fixture$/m,
    );
    assert.match(
      local.text,
      /^RUN cm import repo --path=\/home\/cmuser\/CM\/repos\/docker-catalog-fixture/m,
    );
    assert.doesNotMatch(local.text, /cm pull repo/);
    assert.ok(
      existsSync(
        join(local.context, 'repos', 'docker-catalog-fixture', 'script', 'dk-echo', 'run.sh'),
      ),
    );
  });

  test('4: secrets are in no generated file; the build reads the token as a secret', async () => {
    const { s, gen } = await setup({ GH_TOKEN: 'SECRET456' });
    const r = await gen(
      '--tags=detect,os',
      '--docker_gh_token=SECRET123',
      '--docker_cm_repo=foo@bar',
      '--env.HF_TOKEN=SECRET789',
      '--secret.MY_DB=SECRET000',
    );
    const files = [];
    const walk = (d) => {
      for (const e of readdirSync(d, { withFileTypes: true }))
        if (e.isDirectory() && e.name !== 'cm') walk(join(d, e.name));
        else if (e.isFile()) files.push(join(d, e.name));
    };
    walk(r.context);
    for (const f of files)
      for (const secret of ['SECRET123', 'SECRET456', 'SECRET789', 'SECRET000'])
        assert.ok(!readFileSync(f, 'utf8').includes(secret), `${secret} in ${f}`);
    assert.doesNotMatch(r.text, /^(ARG|ENV) .*TOKEN/m);
    assert.match(r.text, /^RUN --mount=type=secret,id=gh_token,mode=0444 .*cm pull repo foo@bar$/m);
    assert.ok(r.build_cmd.includes('id=gh_token,env=CM_GH_TOKEN'));
    assert.deepEqual(r.run_cmd.filter((w, i) => r.run_cmd[i - 1] === '-e').sort(), [
      'HF_TOKEN',
      'MY_DB',
    ]);
    assert.match(r.inner_cmd, /--secret\.HF_TOKEN --secret\.MY_DB/);
    assert.ok(
      !r.out.stdout.includes('SECRET') && !r.out.stderr.includes('SECRET'),
      'printed output masks them',
    );
  });

  test('5: the image name, computed once for build and run', async () => {
    const { gen, s } = await setup();
    await s.cm('add', 'script', 'upper-app', '--tags=app,image-classification,Upper', '-s');
    const r = await gen('--tags=app,image-classification,Upper');
    assert.equal(r.image, 'local/cm-script-app-image-classification-upper:ubuntu-22.04-latest');
    assert.equal(r.build_cmd[r.build_cmd.indexOf('-t') + 1], r.image);
    assert.equal(r.run_cmd.at(-2), r.image);
    const named = await gen(
      '--tags=detect,os',
      '--docker_image_name=x',
      '--docker_image_repo=r',
      '--docker_image_tag_extra=-v1',
    );
    assert.equal(named.image, 'r/x:ubuntu-22.04-v1');
  });

  test('6–7: mounts from inputs (a file by its folder), rewritten inputs; an unset one is left out with a warning', async () => {
    const { s, gen } = await setup();
    mkdirSync(join(s.dir, 'data', 'imagenet'), { recursive: true });
    writeFileSync(join(s.dir, 'data', 'val.txt'), 'x');
    const data = join(s.dir, 'data', 'imagenet');
    const r = await gen('dk data', `--data=${data}`, `--val=${join(s.dir, 'data', 'val.txt')}`);
    const v = r.run_cmd.filter((w, i) => r.run_cmd[i - 1] === '-v');
    assert.deepEqual(v, [
      `${data}:/cm-mount${data}`,
      `${join(s.dir, 'data')}:/cm-mount${join(s.dir, 'data')}`,
    ]);
    assert.ok(r.inner_cmd.includes(`--data=/cm-mount${data}`));
    assert.ok(r.inner_cmd.includes(`--env.DATA_PATH=/cm-mount${data}`));
    assert.ok(r.inner_cmd.includes(`--env.VAL_FILE=/cm-mount${join(s.dir, 'data', 'val.txt')}`));
    const prepare = r.text.split('\n').find((l) => l.includes('--fake_run'));
    assert.match(prepare, /--val=\/cm-mount/);
    assert.doesNotMatch(prepare, /--data=/, 'skip_input_for_fake_run');
    // A relative path is the working folder's (not a named volume, never the host's /).
    const rel = await gen('dk data', '--data=data/imagenet', '--val=data/val.txt');
    const relV = rel.run_cmd.filter((w, i) => rel.run_cmd[i - 1] === '-v');
    assert.deepEqual(relV, v);
    assert.ok(rel.inner_cmd.includes(`--val=/cm-mount${join(s.dir, 'data', 'val.txt')}`));
    const none = await gen('dk data');
    assert.ok(!none.run_cmd.includes('-v'));
    assert.match(
      none.out.stderr,
      /mount \$\{\{ DATA_PATH \}\}:\$\{\{ DATA_PATH \}\} left out: DATA_PATH is not set/,
    );
  });

  test("8: the inner command keeps the run's flags and drops host paths and docker_ keys", async () => {
    const { gen } = await setup();
    const r = await gen(
      '--tags=dk,echo,_fail',
      '--env.A=1',
      '--adr.python.version=3.10',
      '--lst,=a,b',
      '--env.B=/home/u/CM/repos/local/cache/abc/f',
      '--docker_shm_size=1g',
    );
    assert.match(r.inner_cmd, /^cm run script --tags=dk,echo,_fail /);
    for (const part of ['--env.A=1', '--adr.python.version=3.10', '--lst,=a,b'])
      assert.ok(r.inner_cmd.includes(part), part);
    assert.doesNotMatch(r.inner_cmd, /env\.B|--docker_/);
    const only = await gen('_fail', '--tags=_fail', 'dk-echo');
    assert.match(only.inner_cmd, /^cm run script dk-echo --tags=_fail/);
  });

  test('9: GPUs, shared memory, ports and extra run arguments', async () => {
    const { gen } = await setup();
    const r = await gen(
      '--tags=detect,os',
      '--docker_all_gpus',
      '--docker_shm_size=32gb',
      '--docker_port_maps,=8080:80',
      '--docker_extra_run_args=--cap-add SYS_ADMIN',
    );
    const line = r.run_cmd.join(' ');
    for (const part of ['--gpus=all', '--shm-size=32gb', '-p 8080:80', '--cap-add SYS_ADMIN'])
      assert.ok(line.includes(part), part);
    assert.ok((await gen('--tags=detect,os', '--docker_num_gpus=2')).run_cmd.includes('--gpus=2'));
    const byVariation = await gen('dk data _gpu');
    assert.ok(
      byVariation.run_cmd.includes('--gpus=all') && byVariation.run_cmd.includes('--shm-size=32gb'),
    );
  });

  test('10: Podman behind docker: root in the image, CDI GPUs, --userns=keep-id on request', async () => {
    const { s } = await setup();
    const bin = join(s.dir, 'shim');
    mkdirSync(bin);
    writeFileSync(join(bin, 'docker'), '#!/bin/sh\necho "podman version 4.9.0"\n');
    chmodSync(join(bin, 'docker'), 0o755);
    const env = { PATH: `${bin}:/usr/bin:/bin`, CM_CONTAINER_TOOL: undefined };
    const r = await s.cmWith(
      env,
      'docker',
      'script',
      '--tags=detect,os',
      '--docker_all_gpus',
      '--docker_podman_map_user_id',
      '--dockerfile-only',
      '-j',
    );
    assert.equal(r.code, 0, r.stderr);
    const j = r.json();
    assert.equal(j.engine, 'podman');
    const text = readFileSync(j.dockerfile, 'utf8');
    assert.doesNotMatch(text, /useradd|^USER /m);
    assert.match(text, /^ENV HOME=\/root$/m);
    const line = j.run_cmd.join(' ');
    assert.ok(
      line.includes('--device nvidia.com/gpu=all') && line.includes('--userns=keep-id'),
      line,
    );
    const bad = await s.cm(
      'docker',
      'script',
      '--tags=detect,os',
      '--engine=dokcer',
      '--dockerfile-only',
    );
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /--engine=dokcer: not a container engine.*\n.*did you mean "docker"\?.*podman, docker/,
    );
  });

  test('11: docker.run false skips the script, --docker_run_override proceeds', async () => {
    const { s } = await setup();
    const r = await s.cm('docker', 'script', 'dk norun', '--dockerfile-only');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /docker\.run set to False/);
    assert.ok(!existsSync(join(s.home, 'docker')), 'nothing generated');
    const o = await s.cm(
      'docker',
      'script',
      'dk norun',
      '--docker_run_override',
      '--dockerfile-only',
      '-j',
    );
    assert.equal(o.code, 0, o.stderr);
    assert.ok(existsSync(o.json().dockerfile));
  });

  test('16: pre-run commands and a shell instead of the script; the launch command saved', async () => {
    const { s, gen } = await setup();
    const r = await gen(
      '--tags=detect,os',
      '--docker_skip_run_cmd',
      '--docker_pre_run_cmds,=echo pre',
      '--docker_save_script=run-me',
    );
    assert.equal(r.container_cmd, 'echo pre && cm version && bash');
    const saved = readFileSync(join(s.dir, 'run-me.sh'), 'utf8');
    const printed = r.run_cmd;
    assert.ok(
      saved.includes(printed[printed.length - 2]) &&
        saved.includes("'echo pre && cm version && bash'"),
      saved,
    );
    assert.equal(saved, readFileSync(`${r.dockerfile}.run.sh`, 'utf8'));
  });

  test('--frozen: the lockfile goes into the image and the container runs it', async () => {
    const { s, gen } = await setup();
    const lock = await s.cm('run', 'script', 'dk echo', '--lock=dk.lock.json', '-s');
    assert.equal(lock.code, 0, lock.stderr);
    const r = await gen('dk echo', '--frozen=dk.lock.json');
    assert.match(r.text, /^COPY --chown=cmuser:cm cm-lock\.json \/home\/cmuser\/cm-lock\.json$/m);
    assert.match(r.inner_cmd, /--frozen=\/home\/cmuser\/cm-lock\.json$/);
    assert.equal(
      readFileSync(join(r.context, 'cm-lock.json'), 'utf8'),
      readFileSync(join(s.dir, 'dk.lock.json'), 'utf8'),
    );
  });
});
