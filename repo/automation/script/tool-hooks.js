// Helpers the built-in get-* scripts share (imported by their customize.js): find a tool the way
// the reference's scripts do, and what to do when it is not there.

/**
 * find_artifact as the get-* scripts call it: every candidate `file` on PATH (or --path/--input),
 * each run through the script's run.sh and detect_version and checked against the version flags;
 * the first that fits goes into env[envKey]. `extra`: more find_artifact inputs.
 */
export function findTool(i, file, envKey, extra = {}) {
  return i.automation.find_artifact({
    file_name: file,
    env: i.env,
    os_info: i.os_info,
    default_path_env_key: 'PATH',
    detect_version: true,
    env_path_key: envKey,
    run_script_input: i.run_script_input,
    recursion_spaces: i.recursion_spaces,
    ...extra,
  });
}

/**
 * Not found (`r`, return 16): install through a script tagged `tags` when one exists (the
 * reference's CM_REQUIRE_INSTALL prehook dep), else find_artifact's error, with `why` no script
 * installs one and `how` to fix it added to its hint. The probe for an installer prints nothing.
 */
export async function installOrExplain(i, r, tags, how, why = `no script installs it (none is tagged ${tags})`) {
  const found = await i.automation.cmind.access({ action: 'find', automation: 'script', tags });
  if (found.return === 0 && found.list.length > 0) {
    i.env.CM_REQUIRE_INSTALL = 'yes';
    return { return: 0 };
  }
  return { ...r, return: 16, hint: withHint(r, `${why}: ${how}`) };
}

/** The hint of find_artifact's result `r` (what it found), then the script's own `hint`. */
export function withHint(r, hint) {
  return [r.hint, hint].filter(Boolean).join('\n');
}
