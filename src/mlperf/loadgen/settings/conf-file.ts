// The text format of mlperf.conf, user.conf and audit.config (spec §2.3): tokenising lines into a
// key map with LoadGen's exact error texts, and the four-step wildcard lookup of a field.

import { isConfigNumber } from './c-number.js';
import type { SettingsLogEntry } from './log-entry.js';

/** A parsed config file: `model.scenario.field` → the value token as written (later lines win). */
export interface ConfFile {
  values: Map<string, string>;
  /** error_invalid_config entries; any error makes LoadGen reject the whole file. */
  errors: SettingsLogEntry[];
}

const WHITESPACE = /[ \t\n\v\f\r]+/;

function configError(message: string): SettingsLogEntry {
  return { key: 'error_invalid_config', message };
}

/**
 * Parses config text as LoadGen does: per line, token 1 is the key, token 2 must be `=`, every
 * further token is a value (the last numeric one wins, a non-numeric one is an error, so a trailing
 * `# comment` after a value is an error too); a `#` token before the value ends the line.
 */
export function parseConfText(text: string): ConfFile {
  const values = new Map<string, string>();
  const errors: SettingsLogEntry[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const lineNumber = index + 1;
    const tokens = line.split(WHITESPACE).filter((t) => t.length > 0);
    let key = '';
    let lookingFor: 'key' | 'equals' | 'value' = 'key';
    for (const token of tokens) {
      if (token === '#' && lookingFor !== 'value') return;
      if (lookingFor === 'value') {
        if (isConfigNumber(token)) {
          values.set(key, token);
          continue;
        }
        errors.push(configError(`value needs to be integer or double, line=${lineNumber}`));
        return;
      }
      if (lookingFor === 'equals' && token !== '=') {
        errors.push(configError(`expected 'key=value', line=${lineNumber}`));
        return;
      }
      if (lookingFor === 'key') {
        key = token;
        lookingFor = 'equals';
      } else {
        lookingFor = 'value';
      }
    }
  });
  return { values, errors };
}

/**
 * The value of `field` for `model` and `scenario`, looked up in LoadGen's order:
 * `model.scenario`, then `*.scenario`, then `model.*`, then `*.*`.
 */
export function lookupConf(
  conf: ConfFile,
  model: string,
  scenario: string,
  field: string,
): string | undefined {
  for (const prefix of [`${model}.${scenario}`, `*.${scenario}`, `${model}.*`, '*.*']) {
    const value = conf.values.get(`${prefix}.${field}`);
    if (value !== undefined) return value;
  }
  return undefined;
}
