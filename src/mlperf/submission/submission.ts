// Generates the v6.0+ submission folder (spec §6.7) from a CM results tree: systems/<system>.json,
// src/, results/<system>/<model>/<Scenario>/{performance/run_1, accuracy, TEST01, TEST04}.

import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { readResultsTree, readSutInfo, submissionSystemName } from './results-tree.js';
import { truncateAccuracyDir } from './truncate-accuracy-dir.js';

export interface GenerateSubmissionOptions {
  /** `<style>_results/<sut>` */
  resultsSutDir: string;
  /** Output root; the submission goes to `<root>/<division>/<submitter>`. */
  submissionRoot: string;
  division: 'closed' | 'open';
  submitter: string;
  /** Fields of systems/<system>.json beyond CM's default hardware template (detected CPU, OS ...). */
  system?: Record<string, string>;
}

/** CM's default hardware template (spec §6.7); the rest comes from `system`. */
const SYSTEM_TEMPLATE: Record<string, string> = {
  status: 'available',
  system_type: 'edge',
  system_type_detail: 'edge server',
  number_of_nodes: '1',
  accelerators_per_node: '0',
  accelerator_model_name: 'N/A',
  accelerator_memory_capacity: 'N/A',
  accelerator_frequency: '',
  accelerator_host_interconnect: 'N/A',
  accelerator_interconnect: 'N/A',
  accelerator_interconnect_topology: '',
  accelerator_memory_configuration: 'N/A',
  'accelerator_on-chip_memories': '',
  cooling: 'air',
  host_networking: 'Gig Ethernet',
  host_networking_topology: 'N/A',
  host_network_card_count: '1',
  host_storage_type: 'SSD',
  host_processor_interconnect: 'N/A',
  hw_notes: '',
  sw_notes: '',
};

const PERF_FILES = ['mlperf_log_summary.txt', 'mlperf_log_detail.txt', 'mlperf_log_accuracy.json'];
const ACC_FILES = [
  'mlperf_log_summary.txt',
  'mlperf_log_detail.txt',
  'mlperf_log_accuracy.json',
  'accuracy.txt',
];
const SCENARIO_FILES = ['user.conf', 'README.md', 'measurements.json', 'mlperf.conf'];

async function copyFiles(
  from: string,
  to: string,
  files: readonly string[],
  required: readonly string[],
): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const file of files) {
    await cp(join(from, file), join(to, file)).catch((e: unknown) => {
      if (required.includes(file))
        throw new CmError('file-not-found', `${join(from, file)} missing`, { cause: e });
    });
  }
}

/** Writes the submission folder and returns its path (`<root>/<division>/<submitter>`). */
export async function generateSubmission(options: GenerateSubmissionOptions): Promise<string> {
  const info = await readSutInfo(options.resultsSutDir);
  const system = submissionSystemName(info);
  const out = join(options.submissionRoot, options.division, options.submitter);
  await mkdir(join(out, 'systems'), { recursive: true });
  const systemJson = {
    ...SYSTEM_TEMPLATE,
    ...options.system,
    division: options.division,
    submitter: options.submitter,
    system_name: options.system?.system_name ?? info.system_name,
  };
  await writeFile(
    join(out, 'systems', `${system}.json`),
    `${JSON.stringify(systemJson, null, 2)}\n`,
  );
  await mkdir(join(out, 'src'), { recursive: true });
  await writeFile(
    join(out, 'src', 'README.md'),
    `# ${system}\n\nImplementation: ${info.implementation}, framework: ${info.framework}, device: ${info.device}.\n`,
  );
  for (const entry of await readResultsTree(options.resultsSutDir)) {
    const dest = join(out, 'results', system, entry.model, entry.scenario);
    const perf = join(entry.dir, 'performance', 'run_1');
    await copyFiles(perf, dest, SCENARIO_FILES, ['user.conf', 'README.md', 'measurements.json']);
    await copyFiles(perf, join(dest, 'performance', 'run_1'), PERF_FILES, PERF_FILES.slice(0, 2));
    await copyFiles(join(entry.dir, 'accuracy'), join(dest, 'accuracy'), ACC_FILES, ACC_FILES);
    await truncateAccuracyDir(join(dest, 'accuracy'));
    for (const test of entry.modes.filter((m) => m === 'TEST01' || m === 'TEST04')) {
      await cp(join(entry.dir, test), join(dest, test), {
        recursive: true,
        filter: (src) => !src.endsWith('mlperf_log_trace.json'),
      });
    }
  }
  return out;
}
