// plan_script: `cm run script TAGS --dry-run -j` as a child process, and the plan tree it prints
// flattened into nodes (script, status, cache status and reason) with a one-line summary each.
// The tool's inputs travel to the CLI as an @input.json file: exactly the values the agent gave.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CmError } from '../core/errors.js';
import { runCli, type CliOptions, type CliOutcome } from './cli-child.js';
import type { SudoEvidence } from './policy.js';

/** Input keys an agent may not set: they choose the action or the output, not the script's input. */
const RESERVED = [
  'action',
  'automation',
  'artifact',
  'artifacts',
  'tags',
  'cmd',
  'unparsed_cmd',
  'dry_run',
  'j',
  'json',
  'out',
  's',
  'silent',
];

export function checkInputs(inputs: Record<string, unknown>): void {
  const bad = Object.keys(inputs).filter((k) => RESERVED.includes(k.replace(/-/g, '_')));
  if (bad.length > 0)
    throw new CmError('bad-input', `inputs may not set ${bad.join(', ')}`, {
      hint: 'pass the script tags as "tags" and script inputs (env, version, ...) as "inputs"',
    });
}

/** Runs `cm run script TAGS @inputs.json EXTRA -j` with the inputs written to a temp file. */
export async function runScriptCli(
  tags: string,
  inputs: Record<string, unknown>,
  extra: readonly string[],
  opts: CliOptions,
): Promise<CliOutcome> {
  checkInputs(inputs);
  const dir = mkdtempSync(join(tmpdir(), 'cm-mcp-'));
  try {
    const file = join(dir, 'input.json');
    writeFileSync(file, JSON.stringify(inputs));
    return await runCli(['run', 'script', tags, `@${file}`, ...extra, '-j', '--quiet'], opts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PlanNode {
  depth: number;
  script: string;
  uid: string;
  tags: string;
  path: string;
  status: string;
  cache?: { status: string; reason: string; detail?: string; entry?: string };
  variations: string[];
}

type Tree = Record<string, unknown>;

/** The plan tree's nodes, depth first, root first. */
export function flattenPlan(tree: Tree, depth = 0, out: PlanNode[] = []): PlanNode[] {
  const vars = Array.isArray(tree['variations']) ? (tree['variations'] as Tree[]) : [];
  out.push({
    depth,
    script: String(tree['script'] ?? ''),
    uid: String(tree['uid'] ?? ''),
    tags: String(tree['tags'] ?? ''),
    path: String(tree['path'] ?? ''),
    status: String(tree['status'] ?? ''),
    ...(tree['cache'] ? { cache: tree['cache'] as PlanNode['cache'] } : {}),
    variations: vars.map((v) => String(v['name'])),
  });
  const deps = Array.isArray(tree['deps']) ? (tree['deps'] as Tree[]) : [];
  for (const d of deps) flattenPlan(d, depth + 1, out);
  return out;
}

/** One line per node: `  par-sleep: will-reuse (cache hit: reused, entry 90ae…)`. */
export function planLines(nodes: readonly PlanNode[]): string[] {
  return nodes.map((n) => {
    const cache = n.cache
      ? ` (cache ${n.cache.status}: ${n.cache.reason}${n.cache.detail ? `, ${n.cache.detail}` : ''})`
      : '';
    return `${'  '.repeat(n.depth)}${n.script}: ${n.status}${cache}`;
  });
}

/** What each planned script shows about sudo: its tags and its native run scripts. */
export function sudoEvidence(nodes: readonly PlanNode[]): SudoEvidence[] {
  return nodes.map((n) => {
    const runScripts: Record<string, string> = {};
    let files: string[] = [];
    try {
      files = n.path ? readdirSync(n.path) : [];
    } catch {
      files = [];
    }
    for (const f of files)
      if (f === 'run.sh' || (f.startsWith('run-') && f.endsWith('.sh')))
        runScripts[f] = readFileSync(join(n.path, f), 'utf8');
    return { script: n.script, tags: n.tags.split(/[\s,]+/).filter(Boolean), runScripts };
  });
}
