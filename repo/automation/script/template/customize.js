// Hooks of this script (ES module). Each gets `i` with env, state, meta, input, os_info,
// automation (helpers such as parse_version, run_native_script) and returns {return: 0} or
// {return: 1, error: '...'}. Delete the ones you do not need.

export function preprocess(i) {
  const env = i.env;
  // env.MY_SETTING ??= 'default';
  return { return: 0 };
}

export function postprocess(i) {
  const env = i.env;
  // Keys listed in new_env_keys (in _cm.yaml) are exported to the caller.
  return { return: 0 };
}
