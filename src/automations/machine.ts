// Facts about this machine that results record for provenance (experiments' cm-run.json, a
// script run's cm-output.json with --repro): OS, CPU model and cores, memory, Node.
import { cpus, platform, release, totalmem, type as osType } from 'node:os';

export interface HostInfo {
  os: string;
  os_release: string;
  platform: string;
  cpu_model: string;
  cpu_cores: number;
  memory_bytes: number;
  node: string;
}

export function hostInfo(): HostInfo {
  const list = cpus();
  return {
    os: osType(),
    os_release: release(),
    platform: platform(),
    cpu_model: list[0]?.model.trim() ?? 'unknown',
    cpu_cores: list.length,
    memory_bytes: totalmem(),
    node: process.version,
  };
}
