// get-cmake: find cmake (version constraints).
import { findTool, installOrExplain } from '../../automation/script/tool-hooks.js';

export async function preprocess(i) {
  const env = i.env;
  if (env.CM_CMAKE_BIN_WITH_PATH) return { return: 0 };
  const r = await findTool(i, i.os_info.platform === 'windows' ? 'cmake.exe' : 'cmake', 'CM_CMAKE_BIN_WITH_PATH');
  if (r.return === 16) return installOrExplain(i, r, 'install,cmake,prebuilt', 'install it (e.g. apt-get install -y cmake, or cm run script "get generic-sys-util _cmake"), or give --path=DIR');
  return r.return > 0 ? r : { return: 0 };
}

export function detect_version(i) {
  const r = i.automation.parse_version({ match_text: 'cmake version\\s*([\\d.]+)', group_number: 1, env_key: 'CM_CMAKE_VERSION', which_env: i.env });
  return r.return > 0 ? r : { return: 0, version: r.version };
}

export function postprocess(i) {
  const env = i.env;
  const r = detect_version(i);
  if (r.return > 0) return r;
  env.CM_CMAKE_CACHE_TAGS = `version-${r.version}`;
  if (env.CM_HOST_CPU_TOTAL_CORES) env.CM_MAKE_CORES = env.CM_HOST_CPU_TOTAL_CORES;
  return { return: 0, version: r.version };
}
