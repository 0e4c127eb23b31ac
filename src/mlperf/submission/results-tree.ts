// The results tree CM runs leave behind (spec §6.6): where each run's files live, and reading a
// `<style>_results/<sut>` folder back into the list of results it holds.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import type { SubmissionScenario } from './result-rules.js';

export type RunMode = 'performance' | 'accuracy' | 'TEST01' | 'TEST04';

/** `<sut>/cm-sut-info.json`: what names the submission system. */
export interface SutInfo {
  system_name: string;
  implementation: string;
  device: string;
  framework: string;
  run_config: string;
}

export interface ResultEntry {
  model: string;
  scenario: SubmissionScenario;
  /** `<sut>/<model>/<scenario lower-case>` */
  dir: string;
  modes: RunMode[];
}

const SCENARIOS: readonly SubmissionScenario[] = [
  'SingleStream',
  'MultiStream',
  'Server',
  'Offline',
];
const MODES: readonly RunMode[] = ['performance', 'accuracy', 'TEST01', 'TEST04'];

export interface ResultsPlace {
  outputBase: string;
  style: 'test' | 'fast' | 'valid';
  sut: string;
  model: string;
  scenario: SubmissionScenario;
}

/** `<base>/<style>_results/<sut>/<model>/<scenario lower>`: a scenario's runs. */
export function resultsScenarioDir(where: ResultsPlace): string {
  return join(
    where.outputBase,
    `${where.style}_results`,
    where.sut,
    where.model,
    where.scenario.toLowerCase(),
  );
}

/** `<base>/<style>_results/<sut>/<model>/<scenario lower>/<mode>[/run_1]` (performance runs use run_1). */
export function resultsRunDir(where: ResultsPlace & { mode: RunMode }): string {
  const dir = join(resultsScenarioDir(where), where.mode);
  return where.mode === 'performance' ? join(dir, 'run_1') : dir;
}

/** The submission system folder name `<system>-<implementation>-<device>-<framework>-<run_config>`. */
export function submissionSystemName(info: SutInfo): string {
  return [info.system_name, info.implementation, info.device, info.framework, info.run_config].join(
    '-',
  );
}

async function dirs(path: string): Promise<string[]> {
  const items = await readdir(path, { withFileTypes: true }).catch(() => []);
  return items
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** Reads cm-sut-info.json of a SUT results folder. */
export async function readSutInfo(sutDir: string): Promise<SutInfo> {
  const path = join(sutDir, 'cm-sut-info.json');
  const text = await readFile(path, 'utf8').catch((e: unknown) => {
    throw new CmError('file-not-found', `${path} missing`, { cause: e });
  });
  const info = JSON.parse(text) as Partial<SutInfo>;
  for (const key of [
    'system_name',
    'implementation',
    'device',
    'framework',
    'run_config',
  ] as const) {
    if (typeof info[key] !== 'string' || info[key] === '')
      throw new CmError('bad-input', `${path}: '${key}' must be a non-empty string`);
  }
  return info as SutInfo;
}

/** Every `<model>/<scenario>` of the SUT folder with the run modes present in it. */
export async function readResultsTree(sutDir: string): Promise<ResultEntry[]> {
  const entries: ResultEntry[] = [];
  for (const model of await dirs(sutDir)) {
    for (const folder of await dirs(join(sutDir, model))) {
      const scenario = SCENARIOS.find((s) => s.toLowerCase() === folder.toLowerCase());
      if (scenario === undefined) continue;
      const dir = join(sutDir, model, folder);
      const present = await dirs(dir);
      entries.push({ model, scenario, dir, modes: MODES.filter((m) => present.includes(m)) });
    }
  }
  return entries;
}
