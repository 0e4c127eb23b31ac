// get-git: find the git tool (version constraints).
import { basename, dirname } from 'node:path';
import { findTool, withHint } from '../../automation/script/tool-hooks.js';

export async function preprocess(i) {
  const env = i.env;
  if (env.CM_GIT_BIN_WITH_PATH) return { return: 0 };
  const r = await findTool(i, i.os_info.platform === 'windows' ? 'git.exe' : 'git', 'CM_GIT_BIN_WITH_PATH');
  if (r.return === 16) return { ...r, hint: withHint(r, 'install it (e.g. apt-get install -y git, or cm run script "get generic-sys-util _git"), or give --path=DIR') };
  return r.return > 0 ? r : { return: 0 };
}

export function detect_version(i) {
  const r = i.automation.parse_version({ match_text: 'git version\\s*([\\d.]+)', group_number: 1, env_key: 'CM_GIT_VERSION', which_env: i.env });
  return r.return > 0 ? r : { return: 0, version: r.version };
}

export function postprocess(i) {
  const env = i.env;
  const r = detect_version(i);
  if (r.return > 0) return r;
  env.CM_GIT_BIN = basename(String(env.CM_GIT_BIN_WITH_PATH));
  env.CM_GIT_BIN_PATH = dirname(String(env.CM_GIT_BIN_WITH_PATH));
  env.CM_GIT_CACHE_TAGS = `version-${r.version}`;
  return { return: 0, version: r.version };
}
