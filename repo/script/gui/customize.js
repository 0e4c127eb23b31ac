// gui: the `cm gui` command line for run.sh, from CM's gui inputs (the _graph page's become the
// first page's URL parameters).
import { fileURLToPath } from 'node:url';

const cmBin = fileURLToPath(new URL('../../../bin/cm.js', import.meta.url));

const FLAGS = [
  ['CM_GUI_PORT', 'port'],
  ['CM_GUI_ADDRESS', 'host'],
  ['CM_GUI_GRAPH_EXPERIMENT_TAGS', 'exp_tags'],
  ['CM_GUI_GRAPH_EXPERIMENT_NAME', 'exp_name'],
  ['CM_GUI_GRAPH_EXPERIMENT_RESULT_UID', 'exp_uid'],
  ['CM_GUI_GRAPH_EXPERIMENT_TITLE', 'exp_title'],
  ['CM_GUI_GRAPH_EXPERIMENT_AXIS_KEY_X', 'exp_key_x'],
  ['CM_GUI_GRAPH_EXPERIMENT_AXIS_KEY_Y', 'exp_key_y'],
  ['CM_GUI_GRAPH_EXPERIMENT_AXIS_KEY_C', 'exp_key_c'],
  ['CM_GUI_GRAPH_EXPERIMENT_AXIS_KEY_S', 'exp_key_s'],
  ['CM_GUI_TOKEN', 'token'],
];

function quote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

export function preprocess(i) {
  const env = i.env;
  const words = [quote(process.execPath), quote(cmBin), 'gui'];
  for (const [key, flag] of FLAGS)
    if (env[key] !== undefined && env[key] !== '') words.push(quote(`--${flag}=${env[key]}`));
  if (['yes', 'true', 'on', '1'].includes(String(env.CM_GUI_WATCH ?? '').toLowerCase()))
    words.push('--watch');
  if (env.CM_GUI_NO_BROWSER !== undefined && env.CM_GUI_NO_BROWSER !== '') words.push('--no_browser');
  env.CM_GUI_RUN_CMD = words.join(' ');
  return { return: 0 };
}
