// How `cm pull repo` turns what the user typed (owner@name, a URL) into a git URL and a repo alias,
// as the reference does.
import { folderNameProblem } from './artifact-ref.js';
import { CmError } from './errors.js';

export interface RepoSource {
  url: string;
  /** Folder name under $CM_REPOS/repos and default alias. */
  alias: string;
  /** A warning to show (the reference's ck → cm4mlops rewrite). */
  warning?: string;
}

function strip(s: string): string {
  return s.replace(/\.git$/, '').replace(/\/+$/, '');
}

export function isUrl(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^[\w.-]+@[\w.-]+:/.test(s);
}

/** Alias of a repo cloned from `url`: `https://host/org/name.git` → `org@name`, `file:///a/b/c` → `a@b@c`. */
export function aliasFromUrl(url: string): string {
  const scp = /^[\w.-]+@[\w.-]+:(.+)$/.exec(url);
  if (scp && !url.includes('://'))
    return strip(scp[1]!).split('/').filter(Boolean).slice(-2).join('@');
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/i.exec(url);
  if (!m)
    throw new CmError('bad-input', `"${url}" is not a URL`, {
      hint: 'use owner@name or a git URL',
    });
  const scheme = m[1]!.toLowerCase();
  const parts = strip(m[3] ?? '')
    .split('/')
    .filter(Boolean);
  if (parts.length === 0)
    throw new CmError('bad-input', `cannot derive a repo name from "${url}"`, {
      hint: 'give --alias=NAME',
    });
  const alias = scheme === 'file' ? parts.join('@') : parts.slice(-2).join('@');
  const problem = folderNameProblem(alias);
  if (problem !== undefined)
    throw new CmError(
      'bad-input',
      `cannot name a repo folder "${alias}" after ${url}: ${problem}`,
      {
        hint: 'the URL path must end in a usable name, as in https://host/owner/name.git',
      },
    );
  return alias;
}

const SPEC_EXAMPLES =
  'examples: cm pull repo mlcommons@cm4mlops, cm pull repo https://github.com/org/name.git';

/** Resolve `owner@name`, `name` or a URL. */
export function resolveRepoSource(
  spec: string,
  options: { hasBranchOrCheckout: boolean },
): RepoSource {
  if (isUrl(spec)) return { url: spec, alias: aliasFromUrl(spec) };
  if (spec.includes('/') || spec.includes('..') || spec.trim() === '') {
    throw new CmError('bad-input', `"${spec}" is neither owner@name nor a URL`, {
      hint: SPEC_EXAMPLES,
    });
  }
  const problem = folderNameProblem(spec.trim());
  if (problem !== undefined)
    throw new CmError('bad-input', `"${spec}" cannot name a repo: ${problem}`, {
      hint: SPEC_EXAMPLES,
    });
  let alias = spec.includes('@') ? spec : `mlcommons@${spec}`;
  let warning: string | undefined;
  if (alias === 'mlcommons@ck' && !options.hasBranchOrCheckout) {
    alias = 'mlcommons@cm4mlops';
    warning =
      'mlcommons@ck holds the CM framework itself; pulling the automation repo mlcommons@cm4mlops instead';
  }
  const [owner, name] = alias.split('@', 2) as [string, string];
  return { url: `https://github.com/${owner}/${name}`, alias, ...(warning ? { warning } : {}) };
}
