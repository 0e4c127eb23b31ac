// `--parallel=N` of `cm run script` (or CM_PARALLEL / MLC_PARALLEL in the caller's env): how many
// independent deps of a script may run at once. Checked before anything runs.
import { availableParallelism } from 'node:os';
import { CmError } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';

const ENV_KEYS = ['CM_PARALLEL', 'MLC_PARALLEL'] as const;

/**
 * The number of deps that may run at once: --parallel=N, else CM_PARALLEL / MLC_PARALLEL, else 1.
 * `--parallel` alone means one per CPU (`cpus`), `--parallel-` (false) 1. Anything but a whole
 * number ≥ 1 is a bad-input error naming the value and where it came from.
 */
export function parseParallel(
  input: Dict,
  env: Readonly<Record<string, string | undefined>>,
  cpus: number = availableParallelism(),
): number {
  const flag = input['parallel'];
  if (flag !== undefined) {
    if (flag === true) return Math.max(1, cpus);
    if (flag === false) return 1;
    return checked(flag, '--parallel');
  }
  const cm = (env['CM_PARALLEL'] ?? '').trim();
  const mlc = (env['MLC_PARALLEL'] ?? '').trim();
  if (cm !== '' && mlc !== '' && cm !== mlc)
    throw new CmError(
      'bad-input',
      `CM_PARALLEL=${env['CM_PARALLEL']} and MLC_PARALLEL=${env['MLC_PARALLEL']} disagree`,
      { hint: 'unset one of them, or give --parallel=N, which wins over both' },
    );
  const key = ENV_KEYS.find((k) => (env[k] ?? '').trim() !== '');
  return key ? checked(env[key], key) : 1;
}

function checked(value: unknown, from: string): number {
  const text = typeof value === 'string' ? value.trim() : value;
  const n =
    typeof text === 'number'
      ? text
      : typeof text === 'string' && /^\d+$/.test(text)
        ? Number(text)
        : NaN;
  if (Number.isSafeInteger(n) && n >= 1) return n;
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  throw new CmError(
    'bad-input',
    `${from} must be a whole number of deps to run at once (1 or more), not ${shown}`,
    {
      hint: `e.g. ${from}=4 runs up to 4 independent deps at once; ${from}=1 runs them one after the other${from.startsWith('--') ? '; --parallel alone: one per CPU' : ''}`,
      details: { parallel: value, from },
    },
  );
}
