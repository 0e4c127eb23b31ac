// What a run records about where and how it ran (cm-run.json): the host, the cm version, the git
// commit of the working folder's repo, the env given; and, when the step command is a
// `cm run script ... --repro`, the scripts, variations and versions it resolved.
import { childProcess } from '../child-process.js';
import { withoutSecrets } from '../../core/secrets.js';
import { hostInfo } from '../machine.js';

export interface GitInfo {
  commit: string;
  dirty: boolean;
  root: string;
}

/** The commit and dirty flag of the git work tree holding `dir`; undefined outside one (or without git). */
export function gitInfo(dir: string): GitInfo | undefined {
  const git = (...args: string[]): string | undefined => {
    const r = childProcess().spawnSync('git', args, {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const root = git('rev-parse', '--show-toplevel');
  if (root === undefined) return undefined;
  const commit = git('rev-parse', 'HEAD') ?? '';
  const status = git('status', '--porcelain', '--untracked-files=no');
  return { commit, dirty: status !== undefined && status !== '', root };
}

/** The provenance record of a run, without secrets. */
export function runProvenance(o: {
  cwd: string;
  cmVersion: string;
  env: Record<string, string>;
}): Record<string, unknown> {
  const rec: Record<string, unknown> = {
    host: hostInfo(),
    cm_version: o.cmVersion,
    cwd: o.cwd,
    env: withoutSecrets(o.env),
  };
  const git = gitInfo(o.cwd);
  if (git) rec['git'] = git;
  return rec;
}

/**
 * The scripts a `cm run script --repro` step resolved, from the cm-output.json it wrote:
 * [{tags, alias, uid, variations, version}], or undefined when there is none.
 */
export function scriptsOfOutput(
  output: Record<string, unknown>,
): Array<Record<string, unknown>> | undefined {
  const info = output['version_info'];
  if (!Array.isArray(info)) return undefined;
  const out: Array<Record<string, unknown>> = [];
  for (const item of info) {
    if (item === null || typeof item !== 'object') continue;
    for (const [tags, v] of Object.entries(item as Record<string, unknown>)) {
      if (v === null || typeof v !== 'object') continue;
      const d = v as Record<string, unknown>;
      out.push({
        tags,
        alias: d['script_alias'],
        uid: d['script_uid'],
        variations: d['script_variations'],
        version: d['version'],
      });
    }
  }
  return out;
}
