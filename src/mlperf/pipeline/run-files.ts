// The files CM leaves beside LoadGen's logs in each MLPerf run folder (spec loadgen.md §6.6):
// user.conf and mlperf.conf, measurements.json, README.md, and the SUT folder's cm-sut-info.json
// that names the submission system. Also the SUT name and the check for a valid earlier run.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SutInfo } from '../submission/results-tree.js';

export interface SutNaming {
  hwName: string;
  implementation: string;
  device: string;
  backend: string;
  backendVersion: string;
  runConfig?: string;
}

/** The SUT's `cm-sut-info.json` fields; its folder is named as the submission system will be. */
export function sutInfo(n: SutNaming): SutInfo {
  return {
    system_name: n.hwName,
    implementation: n.implementation,
    device: n.device,
    framework: `${n.backend}-v${n.backendVersion}`,
    run_config: n.runConfig ?? 'default_config',
  };
}

/** `<hw>-<implementation>-<device>-<backend>-v<version>-<run_config>` (CM_SUT_NAME). */
export function sutName(n: SutNaming): string {
  const i = sutInfo(n);
  return [i.system_name, i.implementation, i.device, i.framework, i.run_config].join('-');
}

/** A host name usable as a folder name: letters, digits, `.`, `_` and `-` only. */
export function hwNameOf(hostname: string): string {
  const clean = hostname.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '');
  return clean === '' ? 'default' : clean;
}

export interface Measurements {
  startingWeightsFilename: string;
  inputDataTypes: string;
  weightDataTypes: string;
  weightTransformations: string;
  retraining: string;
}

/** measurements.json as the checker requires it (SYSTEM_IMP_REQUIRED_FILES). */
export function measurementsJson(m: Measurements): string {
  return `${JSON.stringify(
    {
      starting_weights_filename: m.startingWeightsFilename,
      retraining: m.retraining,
      input_data_types: m.inputDataTypes,
      weight_data_types: m.weightDataTypes,
      weight_transformations: m.weightTransformations,
    },
    null,
    2,
  )}\n`;
}

export interface RunReadme {
  model: string;
  scenario: string;
  mode: string;
  /** The command that reproduces this run. */
  command: string;
  sut: string;
}

/** README.md of a run folder: what ran and how to run it again. */
export function runReadme(r: RunReadme): string {
  return [
    `# MLPerf inference: ${r.model}, ${r.scenario}, ${r.mode}`,
    '',
    `SUT: ${r.sut}. Produced by Collective Mind (TypeScript) with its own LoadGen and an`,
    'onnxruntime-node harness.',
    '',
    'To run it again:',
    '',
    '```bash',
    r.command,
    '```',
    '',
  ].join('\n');
}

/** Writes `<sutDir>/cm-sut-info.json`. */
export async function writeSutInfo(sutDir: string, info: SutInfo): Promise<void> {
  await mkdir(sutDir, { recursive: true });
  await writeFile(join(sutDir, 'cm-sut-info.json'), `${JSON.stringify(info, null, 2)}\n`);
}

/**
 * Whether `runDir` already holds a VALID performance run or a scored accuracy run: CM does not
 * run those again unless asked (--rerun).
 */
export async function hasValidRun(runDir: string, mode: string): Promise<boolean> {
  const read = (name: string): Promise<string> =>
    readFile(join(runDir, name), 'utf8').catch(() => '');
  if (mode === 'accuracy') return /^accuracy=/m.test(await read('accuracy.txt'));
  return /^Result is : VALID$/m.test(await read('mlperf_log_summary.txt'));
}
