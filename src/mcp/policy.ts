// What the user lets an agent do through `cm mcp`: read-only unless --allow-run; with
// --allow-run=TAGS only scripts having all of those tags (each --allow-run=… flag is one such set,
// any of them may match); never a script that needs sudo unless --allow-sudo. run_experiment runs
// an arbitrary command, so only bare --allow-run allows it. Pure: the plan and the native scripts'
// text are read by the caller.
import { CmError } from '../core/errors.js';

export interface McpPolicy {
  /** Whether run_script may run anything. */
  allowRun: boolean;
  /** Tag sets a script must cover one of (all tags of one set); empty = any script. */
  allowRunTags: string[][];
  allowSudo: boolean;
}

export const READ_ONLY: McpPolicy = { allowRun: false, allowRunTags: [], allowSudo: false };

/** The policy from the values of --allow-run (true, or one string per flag) and --allow-sudo. */
export function resolvePolicy(allowRun: readonly (string | true)[], allowSudo: boolean): McpPolicy {
  const sets: string[][] = [];
  let any = false;
  for (const v of allowRun) {
    if (v === true || v.trim() === '') {
      any = true;
      continue;
    }
    const tags = v
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (tags.some((t) => t.startsWith('_')))
      throw new CmError('bad-input', `--allow-run=${v}: variations (_name) cannot be allowed`, {
        hint: 'name script tags only, e.g. --allow-run=detect,os',
      });
    sets.push(tags);
  }
  return {
    allowRun: any || sets.length > 0,
    allowRunTags: any ? [] : sets,
    allowSudo,
  };
}

/** A short description of the policy, for the server's instructions and --help. */
export function describePolicy(p: McpPolicy): string {
  if (!p.allowRun)
    return 'read-only: run_script and run_experiment are refused (start cm mcp with --allow-run)';
  const which =
    p.allowRunTags.length === 0
      ? 'any script'
      : `only scripts tagged ${p.allowRunTags.map((s) => s.join(',')).join(' or ')}`;
  const experiments =
    p.allowRunTags.length === 0
      ? 'run_experiment allowed'
      : 'run_experiment refused (it needs bare --allow-run)';
  return `run_script allowed for ${which}; ${p.allowSudo ? 'sudo allowed' : 'never scripts needing sudo'}; ${experiments}`;
}

/** Refuses run_experiment unless bare --allow-run: its command is anything, not a script's tags. */
export function checkExperimentAllowed(p: McpPolicy): void {
  if (!p.allowRun)
    throw new CmError(
      'permission-denied',
      'run_experiment is disabled: this MCP server is read-only',
      { hint: 'restart it as cm mcp --allow-run (bare: an experiment runs any command)' },
    );
  if (p.allowRunTags.length > 0)
    throw new CmError(
      'permission-denied',
      `run_experiment refused: this server allows only scripts tagged ${p.allowRunTags.map((s) => s.join(',')).join(' or ')}, and an experiment's command can be anything`,
      { hint: 'restart cm mcp with bare --allow-run to allow experiments' },
    );
}

/** Refuses a run before planning when run_script is off. */
export function checkRunEnabled(p: McpPolicy): void {
  if (!p.allowRun)
    throw new CmError('permission-denied', 'run_script is disabled: this MCP server is read-only', {
      hint: 'restart it as cm mcp --allow-run (or --allow-run=TAGS to allow only some scripts)',
    });
}

/** Refuses the script `alias` with tags `scriptTags` when no allowed set is covered by them. */
export function checkScriptAllowed(
  p: McpPolicy,
  alias: string,
  scriptTags: readonly string[],
): void {
  checkRunEnabled(p);
  if (p.allowRunTags.length === 0) return;
  const have = new Set(scriptTags);
  if (p.allowRunTags.some((set) => set.every((t) => have.has(t)))) return;
  const allowed = p.allowRunTags.map((s) => s.join(',')).join(' or ');
  throw new CmError(
    'permission-denied',
    `run_script refused: script ${alias} (tags ${scriptTags.join(',')}) is not allowed; this server allows only scripts tagged ${allowed}`,
    { hint: 'restart cm mcp with another --allow-run=TAGS, or plan it with plan_script' },
  );
}

/** One plan node as far as sudo matters: its tags and the native run scripts' text. */
export interface SudoEvidence {
  script: string;
  tags: readonly string[];
  /** file name → text of run.sh, run-*.sh in the script's folder. */
  runScripts: Readonly<Record<string, string>>;
}

/** Why a plan needs sudo (empty when it does not): a node tagged sudo, or a run script calling it. */
export function sudoReasons(nodes: readonly SudoEvidence[]): string[] {
  const reasons: string[] = [];
  for (const n of nodes) {
    if (n.tags.includes('sudo')) reasons.push(`${n.script} is tagged sudo`);
    for (const [file, text] of Object.entries(n.runScripts))
      if (/(^|[\s;&|(`$])sudo\s/m.test(text.replace(/#.*$/gm, '')))
        reasons.push(`${n.script}/${file} runs sudo`);
  }
  return [...new Set(reasons)];
}

/** Refuses a plan that needs sudo unless --allow-sudo. */
export function checkSudo(p: McpPolicy, reasons: readonly string[]): void {
  if (p.allowSudo || reasons.length === 0) return;
  throw new CmError(
    'permission-denied',
    `run_script refused: the plan needs sudo (${reasons.join('; ')})`,
    { hint: 'restart cm mcp with --allow-sudo to allow it' },
  );
}
