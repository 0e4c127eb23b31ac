// run_experiment: `cm run experiment [NAME] [--tags=T] @input.json -j -- COMMAND...` (cme) as a
// child process, with its output streamed as progress and the run stopped (its process group
// killed) when the client cancels; then the run's recorded rows through `cm show experiment`.
// The exploration, env and repetition travel as an @input.json file (exactly the values given);
// the command is the argv words after `--`, which cme joins for bash as it does on the command line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CmError } from '../core/errors.js';
import { runCli, type CliOptions, type CliOutcome } from './cli-child.js';
import { checkExperimentAllowed } from './policy.js';
import { queryRows } from './query-experiments.js';
import { lineSink, type Progress, type ToolEnv } from './script-tools.js';
import { cliResult, toolResult } from './tool-result.js';

export interface ExperimentArgs {
  name?: string | undefined;
  tags?: string | undefined;
  command: string[];
  explore?: Record<string, string | Array<string | number | boolean>> | undefined;
  env?: Record<string, string> | undefined;
  repeat?: number | undefined;
  parallel?: number | undefined;
  fail_fast?: boolean | undefined;
}

/** What goes into @input.json: only the keys given. */
function sweepInput(a: ExperimentArgs): Record<string, unknown> {
  return {
    ...(a.explore ? { explore: a.explore } : {}),
    ...(a.env ? { env: a.env } : {}),
    ...(a.repeat !== undefined ? { repeat: a.repeat } : {}),
    ...(a.parallel !== undefined ? { parallel: a.parallel } : {}),
    ...(a.fail_fast ? { fail_fast: true } : {}),
  };
}

async function runCme(a: ExperimentArgs, opts: CliOptions): Promise<CliOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'cm-mcp-'));
  try {
    const file = join(dir, 'input.json');
    writeFileSync(file, JSON.stringify(sweepInput(a)));
    const args = [
      'run',
      'experiment',
      ...(a.name ? [a.name] : []),
      ...(a.tags ? [`--tags=${a.tags}`] : []),
      `@${file}`,
      '-j',
      '--quiet',
      '--',
      ...a.command,
    ];
    return await runCli(args, opts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runExperiment(
  a: ExperimentArgs,
  te: ToolEnv,
  signal: AbortSignal,
  progress: Progress | undefined,
): Promise<CallToolResult> {
  checkExperimentAllowed(te.policy);
  if (!a.name && !a.tags)
    throw new CmError('bad-input', 'run_experiment needs a name or tags for the experiment', {
      hint: 'name: "my-sweep" (found or made by that name) or tags: "my,sweep"',
    });
  const what = `cm run experiment ${a.name ?? `--tags=${a.tags}`}`;
  const sink = lineSink(progress);
  const started = Date.now();
  const opts: CliOptions = { env: te.env, cwd: te.cwd, signal };
  const out = await runCme(a, { ...opts, ...(sink.onLine ? { onLine: sink.onLine } : {}) });
  const lines = await sink.done();
  if (out.cancelled)
    throw new CmError('not-confirmed', `run_experiment (${what}) was cancelled`, {
      hint: 'the run was stopped; cme --resume records the steps that have no result yet',
    });
  const result = cliResult(out, what);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const artifact = String(result['experiment_path'] ?? '');
  const runDir = String(result['experiment_path2'] ?? '');
  // The run's rows, read back as cm show experiment gives them (by the artifact's folder name).
  const { rows } = await queryRows(
    { name: a.name ?? basename(artifact), run: basename(runDir) },
    opts,
  );
  const summary = [
    `Ran ${what} in ${seconds} s: ${String(result['steps'])} step(s), ${String(result['failed'])} failed, ${rows.length} result(s).`,
    `Run folder: ${runDir}`,
  ].join('\n');
  return toolResult(summary, {
    experiment_path: artifact,
    run_path: runDir,
    run: basename(runDir),
    steps: result['steps'],
    failed: result['failed'],
    rows,
    output_lines: lines,
  });
}
