// The fields a submission's systems/<system>.json must carry (spec §6.7) and the rules over them.

import type { SubmissionProblem } from './mllog.js';

/** Every field the checker requires to be present. */
export const SYSTEM_REQUIRED_FIELDS = [
  'division',
  'submitter',
  'status',
  'system_name',
  'number_of_nodes',
  'host_processor_model_name',
  'host_processors_per_node',
  'host_processor_core_count',
  'host_memory_capacity',
  'host_storage_capacity',
  'host_storage_type',
  'accelerators_per_node',
  'accelerator_model_name',
  'accelerator_memory_capacity',
  'framework',
  'operating_system',
  'system_type',
  'other_software_stack',
  'host_processor_frequency',
  'host_processor_caches',
  'host_memory_configuration',
  'host_processor_interconnect',
  'host_networking',
  'host_networking_topology',
  'accelerator_frequency',
  'accelerator_host_interconnect',
  'accelerator_interconnect',
  'accelerator_interconnect_topology',
  'accelerator_memory_configuration',
  'accelerator_on-chip_memories',
  'cooling',
  'hw_notes',
  'sw_notes',
  'host_network_card_count',
  'system_type_detail',
] as const;

/** The required fields that must also be non-empty. */
export const SYSTEM_NONEMPTY_FIELDS: readonly string[] = [
  'division',
  'submitter',
  'system_type',
  'status',
  'system_name',
  'number_of_nodes',
  'host_processor_model_name',
  'host_processors_per_node',
  'host_processor_core_count',
  'host_processor_frequency',
  'host_processor_caches',
  'host_processor_interconnect',
  'host_memory_capacity',
  'host_memory_configuration',
  'host_storage_capacity',
  'host_storage_type',
  'host_networking',
  'host_networking_topology',
  'host_network_card_count',
  'accelerators_per_node',
  'accelerator_model_name',
  'accelerator_memory_capacity',
  'accelerator_host_interconnect',
  'accelerator_memory_configuration',
  'accelerator_interconnect',
  'cooling',
  'framework',
  'operating_system',
  'other_software_stack',
];

const STATUSES = ['available', 'preview', 'rdi'];
const SYSTEM_TYPES = ['datacenter', 'edge', 'datacenter,edge', 'edge,datacenter'];

/** Problems of one system description; `submitter` and `division` are the folder names above it. */
export function checkSystemJson(
  system: unknown,
  where: { path: string; submitter: string; division: string },
): SubmissionProblem[] {
  const { path } = where;
  if (typeof system !== 'object' || system === null || Array.isArray(system)) {
    return [{ path, message: 'not a JSON object' }];
  }
  const s = system as Record<string, unknown>;
  const problems: SubmissionProblem[] = [];
  for (const field of SYSTEM_REQUIRED_FIELDS) {
    if (!(field in s)) problems.push({ path, message: `field '${field}' is missing` });
  }
  for (const field of SYSTEM_NONEMPTY_FIELDS) {
    if (field in s && String(s[field] ?? '').trim() === '') {
      problems.push({ path, message: `field '${field}' is empty` });
    }
  }
  const text = (field: string): string => String(s[field] ?? '').toLowerCase();
  if ('status' in s && !STATUSES.includes(text('status'))) {
    problems.push({
      path,
      message: `status '${String(s.status)}' is not one of ${STATUSES.join(', ')}`,
    });
  }
  if ('system_type' in s && !SYSTEM_TYPES.includes(text('system_type').replaceAll(' ', ''))) {
    problems.push({
      path,
      message: `system_type '${String(s.system_type)}' is not one of ${SYSTEM_TYPES.join(', ')}`,
    });
  }
  if ('submitter' in s && text('submitter') !== where.submitter.toLowerCase()) {
    problems.push({
      path,
      message: `submitter '${String(s.submitter)}' differs from the folder '${where.submitter}'`,
    });
  }
  if ('division' in s && text('division') !== where.division.toLowerCase()) {
    problems.push({
      path,
      message: `division '${String(s.division)}' differs from the folder '${where.division}'`,
    });
  }
  if (where.division === 'closed' && (s.is_network === true || text('is_network') === 'true')) {
    problems.push({ path, message: 'is_network must be absent or false in the closed division' });
  }
  return problems;
}
