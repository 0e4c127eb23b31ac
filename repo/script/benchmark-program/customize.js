// benchmark-program: the command to run N times; then statistics of the measured runs.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const sq = (s) => (/^[\w./+-]+$/.test(s) ? s : `'${String(s).replace(/'/g, `'\\''`)}'`);
const on = (v) => ['on', '1', 'true', 'yes'].includes(String(v ?? '').toLowerCase());

function count(env, key, min) {
  const v = Number(env[key]);
  return Number.isInteger(v) && v >= min ? v : undefined;
}

export function preprocess(i) {
  const env = i.env;
  const windows = i.os_info.platform === 'windows';
  const reps = count(env, 'CM_BENCHMARK_REPETITIONS', 1);
  if (reps === undefined) return { return: 1, error: `--repetitions must be a whole number >= 1 (found "${env.CM_BENCHMARK_REPETITIONS}")` };
  if (count(env, 'CM_BENCHMARK_WARMUP', 0) === undefined) return { return: 1, error: `--warmup must be a whole number >= 0 (found "${env.CM_BENCHMARK_WARMUP}")` };
  const userCwd = String(env.CM_TMP_CURRENT_PATH || process.cwd());
  env.CM_RUN_DIR = env.CM_RUN_DIR ? resolve(userCwd, String(env.CM_RUN_DIR)) : userCwd;
  let cmd = String(env.CM_RUN_CMD ?? '');
  if (!cmd) {
    if (!env.CM_BIN_NAME) env.CM_BIN_NAME = windows ? 'run.exe' : 'run.out';
    const bin = join(String(env.CM_RUN_DIR), String(env.CM_BIN_NAME));
    if (!existsSync(bin)) return { return: 16, error: `nothing to benchmark: give --run_cmd="PROGRAM ARGS" (${bin} does not exist)` };
    let prefix = '';
    if (on(env.CM_ENABLE_NUMACTL)) {
      env.CM_ENABLE_NUMACTL = '1';
      prefix = `numactl ${env.CM_NUMACTL_MEMBIND ?? '--localalloc'} `;
    }
    prefix += env.CM_RUN_PREFIX ?? '';
    env.CM_RUN_PREFIX = prefix;
    cmd = `${prefix} ${sq(bin)} ${env.CM_RUN_SUFFIX ?? ''}`.trim();
    env.CM_RUN_CMD = cmd;
  }
  if (env.CM_RUN_PREFIX0) cmd = `${env.CM_RUN_PREFIX0} ${cmd}`;
  env.CM_TMP_BENCHMARK_CMD = cmd;
  env.CM_TMP_BENCHMARK_LOGS = resolve(String(env.CM_RUN_DIR), String(env.CM_LOGS_DIR || 'cm-benchmark'));
  return { return: 0 };
}

/** bash's "times" line "0m1.250s 0m0.030s" as [user, sys] seconds. */
function times(text) {
  return [...String(text).matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
}

export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const mean = s.reduce((a, b) => a + b, 0) / n;
  const median = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  const stdev = n > 1 ? Math.sqrt(s.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  const r = (x) => Number(x.toFixed(6));
  return { min: r(s[0]), median: r(median), mean: r(mean), max: r(s[n - 1]), stdev: r(stdev), n };
}

export function postprocess(i) {
  const env = i.env;
  const logs = String(env.CM_TMP_BENCHMARK_LOGS);
  const file = join(logs, 'times.tsv');
  if (!existsSync(file)) return { return: 1, error: `no times were recorded (${file} is missing)` };
  const warmup = Number(env.CM_BENCHMARK_WARMUP ?? 0);
  const runs = readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => {
    const [n, us, before, after, status] = line.split('\t');
    const [u0, s0] = times(before);
    const [u1, s1] = times(after);
    return { run: Number(n), warmup: Number(n) <= warmup, wall_s: Number(us) / 1e6, user_s: Math.max(0, u1 - u0), sys_s: Math.max(0, s1 - s0), exit_status: Number(status), output_file: join(logs, `run-${n}.out`) };
  });
  const measured = runs.filter((r) => !r.warmup);
  if (measured.length === 0) return { return: 1, error: 'no measured run was recorded' };
  const result = {
    command: env.CM_TMP_BENCHMARK_CMD,
    run_dir: env.CM_RUN_DIR,
    repetitions: measured.length,
    warmup,
    runs,
    stats: { wall_s: stats(measured.map((r) => r.wall_s)), user_s: stats(measured.map((r) => r.user_s)), sys_s: stats(measured.map((r) => r.sys_s)) },
  };
  writeFileSync(join(logs, 'results.json'), JSON.stringify(result, null, 2) + '\n');
  i.state.benchmark_program = result;
  const w = result.stats.wall_s;
  Object.assign(env, {
    CM_BENCHMARK_REPETITIONS: String(measured.length),
    CM_BENCHMARK_WALL_MIN: String(w.min),
    CM_BENCHMARK_WALL_MEDIAN: String(w.median),
    CM_BENCHMARK_WALL_MEAN: String(w.mean),
    CM_BENCHMARK_WALL_STDEV: String(w.stdev),
    CM_BENCHMARK_USER_MEDIAN: String(result.stats.user_s.median),
    CM_BENCHMARK_SYS_MEDIAN: String(result.stats.sys_s.median),
    CM_BENCHMARK_RESULTS_FILE: join(logs, 'results.json'),
  });
  const f = (x) => x.toFixed(4).padStart(9);
  const lines = [`${measured.length} run(s) of: ${result.command}`, '          min     median       mean      stdev'];
  for (const [k, s] of Object.entries(result.stats)) lines.push(`${k.replace('_s', '').padEnd(5)} ${f(s.min)}  ${f(s.median)}  ${f(s.mean)}  ${f(s.stdev)}  s`);
  lines.push(`results: ${join(logs, 'results.json')}`);
  i.automation.cmind.logger.info(lines.join('\n'));
  return { return: 0 };
}
