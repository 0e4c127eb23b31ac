// plan_script and run_script. Both run the real CLI; run_script first plans (dry run) to apply the
// user's limits (--allow-run=TAGS on the script asked for, sudo anywhere in its plan), then runs
// with the script's output streamed as progress notifications, and stops (kills the run's process
// group) when the client cancels the request.
import { CmError } from '../core/errors.js';
import type { CliOptions } from './cli-child.js';
import {
  checkRunEnabled,
  checkScriptAllowed,
  checkSudo,
  sudoReasons,
  type McpPolicy,
} from './policy.js';
import {
  flattenPlan,
  planLines,
  runScriptCli,
  sudoEvidence,
  type PlanNode,
} from './script-plan.js';
import { cliResult, toolResult } from './tool-result.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export interface ToolEnv {
  env: NodeJS.ProcessEnv;
  cwd: string;
  policy: McpPolicy;
}

export interface ScriptArgs {
  tags: string;
  inputs?: Record<string, unknown> | undefined;
}

/** Progress: called with each line of output and a counter that only grows. */
export type Progress = (message: string, count: number) => Promise<void>;

/** What a tool handler's `extra` offers for progress: the request's token and a notifier. */
export interface ProgressExtra {
  _meta?: { progressToken?: string | number } | undefined;
  sendNotification: (n: {
    method: 'notifications/progress';
    params: { progressToken: string | number; progress: number; message: string };
  }) => Promise<void>;
}

/** The request's progress sender (undefined when the client gave no progressToken). */
export function progressOf(extra: ProgressExtra): Progress | undefined {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  return (message, n) =>
    extra.sendNotification({
      method: 'notifications/progress',
      params: { progressToken: token, progress: n, message },
    });
}

/** Each output line sent as progress, in order and never failing the run; done() → lines seen. */
export function lineSink(progress: Progress | undefined): {
  onLine: ((line: string) => void) | undefined;
  done: () => Promise<number>;
} {
  let count = 0;
  let sending = Promise.resolve();
  const onLine = progress
    ? (line: string): void => {
        const n = ++count;
        // A client that went away only misses lines.
        sending = sending.then(() => progress(line, n)).catch(() => undefined);
      }
    : undefined;
  return { onLine, done: () => sending.then(() => count) };
}

async function plan(
  args: ScriptArgs,
  te: ToolEnv,
  signal: AbortSignal,
): Promise<{ result: Record<string, unknown>; nodes: PlanNode[] }> {
  const opts: CliOptions = { env: te.env, cwd: te.cwd, signal };
  const out = await runScriptCli(args.tags, args.inputs ?? {}, ['--dry-run', '-s'], opts);
  if (out.cancelled) throw new CmError('not-confirmed', 'plan_script was cancelled');
  const result = cliResult(out, `cm run script "${args.tags}" --dry-run`);
  const tree = result['tree'];
  const nodes =
    tree && typeof tree === 'object' ? flattenPlan(tree as Record<string, unknown>) : [];
  return { result, nodes };
}

export async function planScript(
  args: ScriptArgs,
  te: ToolEnv,
  signal: AbortSignal,
): Promise<CallToolResult> {
  const { result, nodes } = await plan(args, te, signal);
  const reasons = sudoReasons(sudoEvidence(nodes));
  const toRun = nodes.filter((n) => n.status === 'will-run').length;
  const summary = [
    `Plan for "${args.tags}": ${nodes.length} script(s), ${toRun} to run, ${nodes.length - toRun} reused or skipped.`,
    ...planLines(nodes),
    ...(reasons.length > 0 ? [`Needs sudo: ${reasons.join('; ')}`] : []),
  ].join('\n');
  return toolResult(summary, { tags: args.tags, nodes, needs_sudo: reasons, tree: result['tree'] });
}

function checkPolicy(te: ToolEnv, nodes: readonly PlanNode[], metaTags: readonly string[]): void {
  const root = nodes[0];
  if (!root) throw new Error('the dry run printed no plan tree');
  checkScriptAllowed(te.policy, root.script, metaTags);
  checkSudo(te.policy, sudoReasons(sudoEvidence(nodes)));
}

export async function runScript(
  args: ScriptArgs,
  te: ToolEnv,
  signal: AbortSignal,
  progress: Progress | undefined,
  scriptTags: (uid: string) => Promise<string[]>,
): Promise<CallToolResult> {
  checkRunEnabled(te.policy);
  const { nodes } = await plan(args, te, signal);
  checkPolicy(te, nodes, await scriptTags(nodes[0]?.uid ?? ''));
  const sink = lineSink(progress);
  const started = Date.now();
  const out = await runScriptCli(args.tags, args.inputs ?? {}, [], {
    env: te.env,
    cwd: te.cwd,
    signal,
    ...(sink.onLine ? { onLine: sink.onLine } : {}),
  });
  const count = await sink.done();
  if (out.cancelled)
    throw new CmError('not-confirmed', `run_script "${args.tags}" was cancelled`, {
      hint: 'the run was stopped; its unfinished cache entry is never reused',
    });
  const result = cliResult(out, `cm run script "${args.tags}"`);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const newEnv =
    result['new_env'] && typeof result['new_env'] === 'object' ? result['new_env'] : {};
  const keys = Object.keys(newEnv as object);
  const summary = [
    `Ran "${args.tags}" in ${seconds} s: ${nodes.length} script(s) planned.`,
    keys.length > 0 ? `Exported: ${keys.join(', ')}` : 'Exported no env keys.',
    ...(typeof result['cache_entry'] === 'string' ? [`Cache entry: ${result['cache_entry']}`] : []),
  ].join('\n');
  return toolResult(summary, {
    tags: args.tags,
    new_env: newEnv,
    new_state: result['new_state'] ?? {},
    ...(result['cache_entry'] ? { cache_entry: result['cache_entry'] } : {}),
    tree: result['tree'],
    output_lines: count,
  });
}
