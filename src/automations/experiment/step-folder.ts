// One step of a sweep on disk (spec §2.7, §3): <run>/<uid16>/ with the step's cm-input.json and
// the wrapper tmp-native-run.sh that exports the env and runs the command. Run by hand from the
// folder, the wrapper does the step again.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportLinesWithoutSecrets } from '../../core/script/env.js';
import { genUid } from '../../db/uid.js';
import { SCRIPT_UID } from '../script/select.js';
import type { PreparedStep as ExecutorStep } from './executors/step-outcome.js';

export const STEP_INPUT_FILE = 'cm-input.json';
export const STEP_WRAPPER = 'tmp-native-run.sh';

/** A step folder made and ready to run (index: 0-based position among the sweep's executions). */
export interface PreparedStep extends ExecutorStep {
  /** The step folder's name: a 16-hex uid, also the result's `uid`. */
  uid: string;
  command: string;
  /** Values given to the process only (secrets, never written to the wrapper). */
  secrets: Record<string, string>;
}

export interface StepSpec {
  index: number;
  runDir: string;
  /** The command with every {{VAR}} substituted. */
  command: string;
  /** The explored values and the user's env, as exported to the command. */
  env: Record<string, string>;
  /** Exported too, not recorded in the step input (CM_EXPERIMENT_STEP, CM_EXPERIMENT_PATH3 ...). */
  builtins: Record<string, string>;
  /** Recorded in the step input (the explored values with their types, the repetition ...). */
  extra: Record<string, unknown>;
  uid?: string;
}

export function prepareStep(spec: StepSpec): PreparedStep {
  const uid = spec.uid ?? genUid();
  const dir = join(spec.runDir, uid);
  mkdirSync(dir);
  const input = {
    action: 'native-run',
    automation: `script,${SCRIPT_UID}`,
    env: spec.env,
    command: spec.command,
    ...spec.extra,
  };
  writeFileSync(join(dir, STEP_INPUT_FILE), JSON.stringify(input, null, 2) + '\n');
  const env = { ...spec.env, ...spec.builtins, CM_EXPERIMENT_PATH3: dir };
  const { lines, secrets } = exportLinesWithoutSecrets(env);
  const wrapper = join(dir, STEP_WRAPPER);
  writeFileSync(wrapper, ['#!/bin/bash', '', ...lines, '', spec.command, ''].join('\n'));
  chmodSync(wrapper, 0o755);
  const secretValues: Record<string, string> = {};
  for (const [k, v] of Object.entries(secrets)) secretValues[k] = String(v);
  return { index: spec.index, uid, dir, wrapper, command: spec.command, secrets: secretValues };
}
