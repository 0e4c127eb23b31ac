// `cm docker script TAGS [flags] [--docker_* flags]` (spec docker.md §1–§7): plan, write the build
// context (Dockerfile, .dockerignore, build and run scripts, this CM, repos, lockfile), then build
// the image unless it exists and run the script in a container. --dockerfile-only (or --print)
// stops after writing and prints the build and run commands.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dockerfileText } from '../../../core/container/dockerfile.js';
import { commandLine } from '../../../core/shell-words.js';
import { CmError } from '../../../core/errors.js';
import type { Dict } from '../../../core/merge.js';
import { isTrue } from '../../../core/script/env.js';
import type { CmContext } from '../../context.js';
import { str } from '../../input.js';
import { placeCm, placeCopyFile, placeRepo } from './build-context.js';
import { type ContainerPlan, planContainer } from './container-plan.js';
import { builtFrom, contextDigest, recordBuild } from './context-digest.js';
import { detectEngine, gpuArgs, requireEngine, type Engine } from './engine.js';
import { lastLines } from '../native.js';
import { buildImage, imageId, runDetached, runStreaming } from './run-container.js';

interface Commands {
  dockerfile: string;
  contextDir: string;
  build: string[];
  run: string[];
  /** The shell line the container runs. */
  containerCmd: string;
}

function containerCmd(p: ContainerPlan): string {
  const s = p.settings;
  let main = s.skipRunCmd ? 'cm version && bash' : p.inner;
  if (!s.skipRunCmd && s.runCmdPrefix) main = `${s.runCmdPrefix} && ${main}`;
  if (s.mountCurrentDir) main = `cd /cm-mount/current && ${main}`;
  if (s.shellOnFail && !s.skipRunCmd) main = `(${main}) || bash`;
  return [...s.preRunCmds, main, ...s.postRunCmds].join(' && ');
}

function runArgv(
  p: ContainerPlan,
  engine: Engine,
  tty: boolean,
  cwd: string,
  command: string,
): string[] {
  const s = p.settings;
  const a = [engine.program, 'run'];
  a.push(...(s.detached ? ['-d'] : ['--rm']));
  if ((s.interactive || s.skipRunCmd) && tty) a.push('-it');
  if (engine.name === 'podman' && s.mapUserId) a.push('--userns=keep-id');
  a.push(...gpuArgs(engine.name, s.allGpus, s.numGpus));
  if (s.device) a.push(`--device=${s.device}`);
  if (s.shmSize) a.push(`--shm-size=${s.shmSize}`);
  if (s.privileged) a.push('--privileged');
  for (const port of s.portMaps) a.push('-p', port);
  if (s.extraRunArgs) a.push(...s.extraRunArgs.split(/\s+/).filter(Boolean));
  for (const m of p.mounts.mounts) a.push('-v', `${m.host}:${m.container}`);
  if (s.mountCurrentDir) a.push('-v', `${cwd}:/cm-mount/current`);
  for (const k of Object.keys(p.secrets)) a.push('-e', k);
  a.push(p.image.ref, command);
  return a;
}

function buildArgv(
  p: ContainerPlan,
  engine: Engine,
  dockerfile: string,
  contextDir: string,
  token: boolean,
  ids: [string, string],
): string[] {
  return [
    engine.program,
    'build',
    ...(p.settings.noCache ? ['--no-cache'] : []),
    ...(token ? ['--secret', 'id=gh_token,env=CM_GH_TOKEN'] : []),
    '--build-arg',
    `UID=${ids[0]}`,
    '--build-arg',
    `GID=${ids[1]}`,
    '-f',
    dockerfile,
    '-t',
    p.image.ref,
    contextDir,
  ];
}

/** A command as printed and saved: shell words, the build's $(id -u) left to the shell. */
function shownCommand(words: readonly string[]): string {
  return commandLine(words).replace(/'((?:UID|GID)=\$\(id -[ug]\))'/g, '$1');
}

/** Writes the build context; returns the Dockerfile and the commands. */
function writeContext(
  ctx: CmContext,
  p: ContainerPlan,
  engine: Engine,
  token: boolean,
  tty: boolean,
): Commands {
  const s = p.settings;
  const root = s.path
    ? resolve(ctx.cwd, s.path)
    : join(ctx.paths.root, 'docker', `${p.script.entry.alias}_${p.script.entry.uid.slice(0, 5)}`);
  const contextDir = join(root, 'dockerfiles');
  mkdirSync(contextDir, { recursive: true });
  const copyFiles = s.copyFiles.map((f) => placeCopyFile(contextDir, f, ctx.cwd));
  for (const [name, path] of Object.entries(p.copiedRepos)) placeRepo(contextDir, name, path);
  if (p.frozen) copyFileSync(p.frozen, join(contextDir, 'cm-lock.json'));
  placeCm(contextDir, resolve(ctx.internalRepoPath, '..'), process.execPath);
  const text = dockerfileText({
    cmVersion: ctx.version,
    asked: p.tags.join(' ') || p.script.entry.alias,
    script: { alias: p.script.entry.alias, uid: p.script.entry.uid },
    baseImage: p.baseImage,
    distro: p.distro,
    user: s.user,
    copyFiles,
    ...(s.extraSysDeps ? { extraSysDeps: s.extraSysDeps } : {}),
    repos: p.repos,
    extraRepoCmds: s.cmRepos,
    token,
    ...(p.frozen ? { lockfile: 'cm-lock.json' } : {}),
    finalCmds: s.finalCmds,
    prepareCommand: p.prepare,
    postRunCmds: [],
  });
  const dockerfile = join(contextDir, `${p.suffix}.Dockerfile`);
  writeFileSync(dockerfile, text);
  writeFileSync(join(contextDir, '.dockerignore'), '.git\n');
  const build = buildArgv(p, engine, dockerfile, contextDir, token, ['$(id -u)', '$(id -g)']);
  const command = containerCmd(p);
  const run = runArgv(p, engine, tty, ctx.cwd, command);
  const sh = (words: string[]) => `#!/bin/bash\n${shownCommand(words)}\n`;
  writeFileSync(`${dockerfile}.build.sh`, sh(build), { mode: 0o755 });
  writeFileSync(`${dockerfile}.run.sh`, sh(run), { mode: 0o755 });
  if (s.saveScript) writeFileSync(resolve(ctx.cwd, `${s.saveScript}.sh`), sh(run), { mode: 0o755 });
  return { dockerfile, contextDir, build, run, containerCmd: command };
}

/** The action. */
export async function dockerScript(input: Dict, ctx: CmContext): Promise<Dict> {
  const engineAsked = str(input, 'engine') ?? str(input, 'docker_engine');
  const engine = detectEngine(engineAsked, ctx.env);
  const p = planContainer(ctx, input, engine);
  if (!p.settings.runAllowed && !p.settings.runOverride) {
    ctx.emit({
      type: 'info',
      text: `${p.script.entry.alias}: docker.run set to False in its meta: not run in a container (--docker_run_override runs it anyway)`,
    });
    return { skipped: true, reason: 'docker.run set to False' };
  }
  for (const w of p.mounts.warnings) ctx.emit({ type: 'warning', text: w });
  for (const k of p.pruned.droppedSecrets)
    ctx.emit({
      type: 'warning',
      text: `--${k} holds a secret: left out of the container's command`,
    });
  const tokenValue = p.settings.ghToken;
  if (tokenValue) ctx.secrets.add(tokenValue);
  const tty = ctx.isInteractive;
  const c = writeContext(ctx, p, engine, tokenValue !== undefined, tty);
  ctx.emit({ type: 'info', text: `Dockerfile: ${c.dockerfile}` });
  ctx.emit({
    type: 'info',
    text: `CM command line regenerated to be used inside the container:\n  ${p.inner}`,
  });
  const result: Dict = {
    dockerfile: c.dockerfile,
    context: c.contextDir,
    image: p.image.ref,
    engine: engine.name,
    inner_cmd: p.inner,
    container_cmd: c.containerCmd,
    build_cmd: c.build,
    run_cmd: c.run,
  };
  if (isTrue(input['dockerfile_only']) || isTrue(input['print'])) {
    ctx.emit({ type: 'output', text: `${shownCommand(c.build)}\n${shownCommand(c.run)}` });
    return result;
  }
  requireEngine(engine);
  return { ...result, ...(await buildAndRun(ctx, p, engine, c, tokenValue, tty)) };
}

async function buildAndRun(
  ctx: CmContext,
  p: ContainerPlan,
  engine: Engine,
  c: Commands,
  token: string | undefined,
  tty: boolean,
): Promise<Dict> {
  const env: Record<string, string | undefined> = {
    ...ctx.env,
    ...(token ? { CM_GH_TOKEN: token } : {}),
  };
  // Secrets reach the container as env inherited by name (-e NAME): never in a command line.
  for (const [k, v] of Object.entries(p.secrets)) env[k] = v;
  const s = p.settings;
  const digest = contextDigest(c.contextDir, c.dockerfile);
  const existing = imageId(engine.program, p.image.ref, env);
  // Reused only when built from this very context (a new lockfile or script rebuilds it).
  const current = existing && builtFrom(c.dockerfile, p.image.ref, digest)?.startsWith(existing);
  let built = false;
  let id = existing;
  if (s.skipBuild && !existing)
    throw new CmError(
      'artifact-not-found',
      `--docker_skip_build: image ${p.image.ref} does not exist`,
      {
        hint: 'run once without --docker_skip_build to build it',
      },
    );
  if (!s.skipBuild && (!current || s.rebuild)) {
    const ids: [string, string] = [
      String(process.getuid?.() ?? 1000),
      String(process.getgid?.() ?? 1000),
    ];
    ctx.emit({ type: 'info', text: `building ${p.image.ref} with ${engine.name}` });
    await buildImage(
      buildArgv(p, engine, c.dockerfile, c.contextDir, token !== undefined, ids),
      env,
      ctx.emit,
    );
    id = imageId(engine.program, p.image.ref, env);
    recordBuild(c.dockerfile, p.image.ref, id, digest);
    built = true;
  } else
    ctx.emit({
      type: 'info',
      text: current
        ? `image ${p.image.ref} (${existing.slice(0, 12)}) was built from this context: not rebuilt (--docker_rebuild rebuilds it)`
        : `--docker_skip_build: running image ${p.image.ref} (${existing.slice(0, 12)}) as it is`,
    });
  ctx.emit({ type: 'info', text: `running: ${commandLine(c.run)}` });
  const r = s.detached
    ? await runDetached(c.run, env, ctx.emit, s.keep)
    : await runStreaming(c.run, env, ctx.emit, tty && s.interactive);
  const out = { built, image_id: id, exit_code: r.code };
  if (r.code !== 0)
    throw new CmError(
      'script-failed',
      `the script failed in the container (exit status ${r.code})`,
      {
        hint: `the container's last lines:\n${lastLines(r.tail, 50)}`,
        details: { exit_code: r.code },
      },
    );
  return out;
}
