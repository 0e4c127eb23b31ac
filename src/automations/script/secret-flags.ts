// `--secret.NAME=VALUE` (or `--secret.NAME`: the value of NAME in CM's own environment): NAME
// enters the run's env like --env.NAME, but as a secret whatever its name: masked in every text,
// given to native scripts through their process env, and left out of cache state, lockfiles and
// cm-output.json. This is how `cm docker script` hands secrets to the run inside a container.
import { CmError } from '../../core/errors.js';
import { isDict, type Dict } from '../../core/merge.js';
import type { CmContext } from '../context.js';

/**
 * The values of `--secret.NAME[=VALUE]` (input.secret): the value given, else NAME in `env` (CM's
 * own environment); an error names a secret with neither.
 */
export function secretFlagValues(
  given: unknown,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  if (given === undefined) return {};
  if (!isDict(given))
    throw new CmError('bad-input', '--secret needs a name: --secret.NAME=VALUE or --secret.NAME', {
      hint: 'e.g. --secret.HF_TOKEN (taken from the environment) or --secret.DB_PASS=…',
    });
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(given)) {
    const value =
      v === true
        ? env[name]
        : typeof v === 'string' || typeof v === 'number'
          ? String(v)
          : undefined;
    if (value === undefined)
      throw new CmError(
        'bad-input',
        v === true
          ? `--secret.${name}: no value given and ${name} is not set in the environment`
          : `--secret.${name}: the value must be a string`,
        { hint: `give it as --secret.${name}=VALUE, or export ${name} before running cm` },
      );
    out[name] = value;
  }
  return out;
}

/** Moves input.secret into input.env, each value learned by the command's secret mask. */
export function applySecretFlags(input: Dict, ctx: CmContext): void {
  if (input['secret'] === undefined) return;
  const env: Dict = isDict(input['env']) ? input['env'] : {};
  for (const [name, value] of Object.entries(secretFlagValues(input['secret'], ctx.env))) {
    ctx.secrets.addNamed(name, value);
    env[name] = value;
  }
  input['env'] = env;
  delete input['secret'];
}
