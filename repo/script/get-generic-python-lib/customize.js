// get-generic-python-lib: detect a package in the selected Python; pip install it when missing.
import { existsSync, readFileSync, rmSync } from 'node:fs';

const yes = (v) => ['yes', 'true', 'on', '1'].includes(String(v ?? '').toLowerCase());

/** What went wrong in pip's output, in words a user acts on. */
function pipDiagnosis(log, env) {
  const index = env.CM_GENERIC_PYTHON_PIP_INDEX_URL || process.env.PIP_INDEX_URL || 'https://pypi.org/simple';
  if (/Failed to establish a new connection|Temporary failure in name resolution|Network is unreachable|Connection refused|Max retries exceeded|ProxyError|ConnectTimeout|Read timed out/i.test(log))
    return `pip could not reach the package index ${index}: no network (or a proxy or firewall blocks it). Install from a local wheel with _path.FILE.whl, or from a local index with --index_url=URL`;
  if (/No matching distribution found|Could not find a version that satisfies/i.test(log))
    return `no version of "${env.CM_GENERIC_PYTHON_PACKAGE_NAME}${env.CM_TMP_PIP_VERSION_STRING ?? ''}" was found in ${index}; check the package name and the version constraints`;
  if (/externally-managed-environment/i.test(log))
    return 'this Python is managed by the OS and pip refuses to install into it: create a venv first (cm run script "install python-venv" --name=NAME) and use it with --adr.python.name=NAME, or add --break_system_packages';
  return undefined;
}

export async function preprocess(i) {
  const env = i.env;
  const pkg = String(env.CM_GENERIC_PYTHON_PACKAGE_NAME ?? '').trim();
  if (!pkg) return i.automation._available_variations({ meta: i.meta });
  if (!/^[A-Za-z0-9][A-Za-z0-9._\-\[\],]*$/.test(pkg))
    return { return: 1, error: `"${pkg}" is not a Python package name (_package.NAME)` };
  const pip = String(env.CM_PIP_VERSION ?? '').trim().split('.');
  let extra = String(env.CM_GENERIC_PYTHON_PIP_EXTRA ?? '');
  // The reference adds --break-system-packages for every pip >= 23 (and exports it for other
  // scripts, which we keep); we add it to our own install only when asked, so that a Python the
  // OS manages is not changed behind its back (pip's refusal is explained instead).
  if (pip.length > 1 && Number(pip[0]) >= 23) env.CM_PYTHON_PIP_COMMON_EXTRA = ' --break-system-packages';
  if (yes(env.CM_PIP_BREAK_SYSTEM_PACKAGES) && !extra.includes('--break-system-packages')) extra += ' --break-system-packages';
  if (env.CM_GENERIC_PYTHON_PACKAGE_INSTALL_DEPS === 'no') {
    env.CM_PYTHON_PIP_COMMON_EXTRA = ' --no-deps';
    extra += ' --no-deps';
  }
  if (env.CM_PIP_INSTALL_NEEDS_USER === 'yes') env.CM_PYTHON_PIP_COMMON_EXTRA = ' --user';
  env.CM_TMP_PYTHON_PACKAGE_NAME_ENV = pkg.replace(/[-[\]]/g, '_').toUpperCase();
  const versionKey = `CM_${env.CM_TMP_PYTHON_PACKAGE_NAME_ENV}_VERSION`;

  const r = await i.automation.detect_version_using_script({ env, run_script_input: i.run_script_input, recursion_spaces: i.recursion_spaces });
  const force = yes(env.CM_TMP_PYTHON_PACKAGE_FORCE_INSTALL);
  if (r.return === 0 && !force) return { return: 0 };
  if (r.return > 0 && r.return !== 16) return r;

  delete env[versionKey];
  if (force) extra += ' --upgrade --no-deps --force-reinstall';
  // CM_TMP_PIP_VERSION_STRING (==V, >=MIN, <=MAX) is set by the engine from the version flags.
  const torch = String(env.CM_TORCH_CUDA ?? '');
  const index = String(env.CM_GENERIC_PYTHON_PIP_INDEX_URL ?? '').trim().replace('${CM_TORCH_CUDA}', torch);
  if (index) extra += ` --index-url ${index}`;
  const extraIndex = String(env.CM_GENERIC_PYTHON_PIP_EXTRA_INDEX_URL ?? '').trim().replace('${CM_TORCH_CUDA}', torch);
  if (extraIndex) extra += ` --extra-index-url ${extraIndex}`;
  const links = String(env.CM_GENERIC_PYTHON_PIP_EXTRA_FIND_LINKS_URL ?? '').trim();
  if (links) extra += ` -f ${links}`;
  if (yes(env.CM_GENERIC_PYTHON_PIP_UPDATE)) extra += ' -U';
  if (yes(env.CM_GENERIC_PYTHON_DEV_VERSION)) extra += ' --pre';
  env.CM_GENERIC_PYTHON_PIP_EXTRA = extra;
  i.automation.cmind.logger.info(`${pkg} is ${r.return === 16 ? `not there (${String(r.error).split('\n')[0]})` : 'there but --force_install'}: installing it with ${env.CM_PYTHON_BIN_WITH_PATH} -m pip`);

  rmSync('tmp-pip.log', { force: true });
  const inst = await i.automation.run_native_script({ run_script_input: i.run_script_input, env, script_name: 'install' });
  if (inst.return > 0) {
    const log = existsSync('tmp-pip.log') ? readFileSync('tmp-pip.log', 'utf8') : '';
    const why = pipDiagnosis(log, env);
    return why ? { return: 1, error: `pip install of ${pkg} failed: ${why}` } : inst;
  }
  return { return: 0 };
}

export function detect_version(i) {
  const env = i.env;
  const key = env.CM_TMP_PYTHON_PACKAGE_NAME_ENV ? `CM_${env.CM_TMP_PYTHON_PACKAGE_NAME_ENV}_VERSION` : 'CM_CACHE_TMP_VERSION';
  const r = i.automation.parse_version({ match_text: '\\s*([\\d.a-z\\-+]+)', group_number: 1, env_key: key, which_env: env });
  if (r.return > 0) return { return: 16, error: `${env.CM_GENERIC_PYTHON_PACKAGE_NAME} is not installed in ${env.CM_PYTHON_BIN_WITH_PATH}` };
  return { return: 0, version: r.version };
}

export async function postprocess(i) {
  const env = i.env;
  const key = `CM_${env.CM_TMP_PYTHON_PACKAGE_NAME_ENV}_VERSION`;
  let version = env[key];
  if (!version) {
    // After an install: detect again (run.sh writes tmp-ver.out).
    const r = await i.automation.detect_version_using_script({ env, run_script_input: i.run_script_input, recursion_spaces: i.recursion_spaces });
    if (r.return > 0) return { return: 1, error: `${env.CM_GENERIC_PYTHON_PACKAGE_NAME} is still not importable by ${env.CM_PYTHON_BIN_WITH_PATH} after pip install` };
    version = env[key] || r.detected_version;
  }
  env[`CM_PYTHONLIB_${env.CM_TMP_PYTHON_PACKAGE_NAME_ENV}_CACHE_TAGS`] = `version-${version}`;
  const pip = String(env.CM_PIP_VERSION ?? '').trim().split('.');
  if (pip.length > 1 && Number(pip[0]) >= 23) env.CM_PYTHON_PIP_COMMON_EXTRA = ' --break-system-packages';
  if ((version.match(/\./g) ?? []).length > 1) env[`${key}_MAJOR_MINOR`] = version.split('.').slice(0, 2).join('.');
  return { return: 0, version };
}
