// Turn lscpu / sysctl / /proc/cpuinfo output into the CM_HOST_CPU_* keys of the reference's detect-cpu.
import { existsSync, readFileSync } from 'node:fs';

/** lscpu (Linux) and sysctl (macOS) fields and the env keys they set. */
const FIELDS = {
  Architecture: 'CM_HOST_CPU_ARCHITECTURE',
  'Model name': 'CM_HOST_CPU_MODEL_NAME',
  'Vendor ID': 'CM_HOST_CPU_VENDOR_ID',
  'CPU family': 'CM_HOST_CPU_FAMILY',
  'NUMA node(s)': 'CM_HOST_CPU_NUMA_NODES',
  'CPU(s)': 'CM_HOST_CPU_TOTAL_CORES',
  'On-line CPU(s) list': 'CM_HOST_CPU_ON_LINE_CPUS_LIST',
  'Socket(s)': 'CM_HOST_CPU_SOCKETS',
  'Core(s) per socket': 'CM_HOST_CPU_PHYSICAL_CORES_PER_SOCKET',
  'Core(s) per cluster': 'CM_HOST_CPU_PHYSICAL_CORES_PER_SOCKET',
  'Thread(s) per core': 'CM_HOST_CPU_THREADS_PER_CORE',
  'L1d cache': 'CM_HOST_CPU_L1D_CACHE_SIZE',
  'L1i cache': 'CM_HOST_CPU_L1I_CACHE_SIZE',
  'L2 cache': 'CM_HOST_CPU_L2_CACHE_SIZE',
  'L3 cache': 'CM_HOST_CPU_L3_CACHE_SIZE',
  'CPU max MHz': 'CM_HOST_CPU_MAX_MHZ',
  // Not in the reference: minimum frequency and instruction-set flags.
  'CPU min MHz': 'CM_HOST_CPU_MIN_MHZ',
  Flags: 'CM_HOST_CPU_FLAGS',
  'hw.physicalcpu': 'CM_HOST_CPU_TOTAL_PHYSICAL_CORES',
  'hw.logicalcpu': 'CM_HOST_CPU_TOTAL_CORES',
  'hw.packages': 'CM_HOST_CPU_SOCKETS',
  'hw.memsize': 'CM_HOST_CPU_MEMSIZE',
  'hw.l1icachesize': 'CM_HOST_CPU_L1I_CACHE_SIZE',
  'hw.l1dcachesize': 'CM_HOST_CPU_L1D_CACHE_SIZE',
  'hw.l2cachesize': 'CM_HOST_CPU_L2_CACHE_SIZE',
  'hw.l3cachesize': 'CM_HOST_CPU_L3_CACHE_SIZE',
};

/** /proc/cpuinfo fields lscpu does not show; "Not Found" when absent, as the reference writes. */
const CPUINFO = {
  wp: 'CM_HOST_CPU_WRITE_PROTECT_SUPPORT',
  microcode: 'CM_HOST_CPU_MICROCODE',
  fpu: 'CM_HOST_CPU_FPU_SUPPORT',
  fpu_exception: 'CM_HOST_CPU_FPU_EXCEPTION_SUPPORT',
  bugs: 'CM_HOST_CPU_BUGS',
  'TLB size': 'CM_HOST_CPU_TLB_SIZE',
  'clflush size': 'CM_HOST_CPU_CFLUSH_SIZE',
  'cpu MHz': 'CM_HOST_CPU_CURRENT_MHZ',
};

/** "key: value" lines (the first occurrence of each key wins, as for one CPU of /proc/cpuinfo). */
function fields(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    const at = line.indexOf(':');
    if (at < 0) continue;
    const key = line.slice(0, at).trim();
    if (!out.has(key)) out.set(key, line.slice(at + 1).trim());
  }
  return out;
}

function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    rows.push([...line.matchAll(/"((?:[^"]|"")*)"|([^,]+)|(?<=,|^)(?=,|$)/g)].map((m) => (m[1] ?? m[2] ?? '').replace(/""/g, '"')));
  }
  return rows;
}

function csvRecords(file, encoding, headerRow) {
  if (!existsSync(file)) return [];
  const rows = parseCsv(readFileSync(file, encoding).replace(/^\uFEFF/, ''));
  const keys = rows[headerRow] ?? [];
  return rows.slice(headerRow + 1).map((r) => Object.fromEntries(keys.map((k, n) => [k, r[n] ?? ''])));
}

export function postprocess(i) {
  const env = i.env;
  if (i.os_info.platform === 'windows') {
    const sys = csvRecords('tmp-systeminfo.csv', 'utf8', 0);
    const cpu = csvRecords('tmp-wmic-cpu.csv', 'utf16le', 1);
    i.state.host_device_raw_info = { sys, sys1: sys[0] ?? [], cpu, cpu1: cpu[0] ?? [] };
    const c = cpu[0] ?? {};
    if (c.Name) env.CM_HOST_CPU_MODEL_NAME = c.Name.trim();
    if (c.NumberOfCores) env.CM_HOST_CPU_TOTAL_PHYSICAL_CORES = c.NumberOfCores;
    if (c.NumberOfLogicalProcessors) env.CM_HOST_CPU_TOTAL_CORES = c.NumberOfLogicalProcessors;
    if (c.MaxClockSpeed) env.CM_HOST_CPU_MAX_MHZ = c.MaxClockSpeed;
  } else if (existsSync('tmp-lscpu.out')) {
    for (const [k, v] of fields(readFileSync('tmp-lscpu.out', 'utf8')))
      if (FIELDS[k] && v !== '') env[FIELDS[k]] = v;
  } else {
    i.automation.cmind.logger.warning('lscpu is not installed: only /proc/cpuinfo is read');
  }

  if (i.os_info.platform === 'linux') {
    const info = existsSync('/proc/cpuinfo') ? fields(readFileSync('/proc/cpuinfo', 'utf8')) : new Map();
    for (const [k, key] of Object.entries(CPUINFO)) env[key] = info.get(k) || 'Not Found';
    if (!env.CM_HOST_CPU_MODEL_NAME && info.get('model name')) env.CM_HOST_CPU_MODEL_NAME = info.get('model name');
    if (!env.CM_HOST_CPU_VENDOR_ID && info.get('vendor_id')) env.CM_HOST_CPU_VENDOR_ID = info.get('vendor_id');
    if (!env.CM_HOST_CPU_FLAGS && (info.get('flags') || info.get('Features')))
      env.CM_HOST_CPU_FLAGS = info.get('flags') || info.get('Features');
    if (!env.CM_HOST_CPU_TOTAL_CORES && existsSync('/proc/cpuinfo'))
      env.CM_HOST_CPU_TOTAL_CORES = String(readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((l) => /^processor\s*:/.test(l)).length);
  }

  if (env.CM_HOST_CPU_FLAGS) env.CM_HOST_CPU_FLAGS = env.CM_HOST_CPU_FLAGS.split(/\s+/).join(' ');
  if (env.CM_HOST_CPU_SOCKETS === '-') env.CM_HOST_CPU_SOCKETS = '1';
  if (env.CM_HOST_CPU_TOTAL_CORES && !env.CM_HOST_CPU_TOTAL_LOGICAL_CORES)
    env.CM_HOST_CPU_TOTAL_LOGICAL_CORES = env.CM_HOST_CPU_TOTAL_CORES;
  const n = (k) => Number.parseInt(env[k] ?? '', 10);
  if (!env.CM_HOST_CPU_TOTAL_PHYSICAL_CORES && n('CM_HOST_CPU_SOCKETS') > 0 && n('CM_HOST_CPU_PHYSICAL_CORES_PER_SOCKET') > 0)
    env.CM_HOST_CPU_TOTAL_PHYSICAL_CORES = String(n('CM_HOST_CPU_SOCKETS') * n('CM_HOST_CPU_PHYSICAL_CORES_PER_SOCKET'));
  if (!env.CM_HOST_CPU_THREADS_PER_CORE && n('CM_HOST_CPU_TOTAL_LOGICAL_CORES') > 0 && n('CM_HOST_CPU_TOTAL_PHYSICAL_CORES') > 0)
    env.CM_HOST_CPU_THREADS_PER_CORE = String(Math.floor(n('CM_HOST_CPU_TOTAL_LOGICAL_CORES') / n('CM_HOST_CPU_TOTAL_PHYSICAL_CORES')));
  if (!env.CM_HOST_CPU_PHYSICAL_CORES_PER_SOCKET && n('CM_HOST_CPU_SOCKETS') > 0 && n('CM_HOST_CPU_TOTAL_PHYSICAL_CORES') > 0)
    env.CM_HOST_CPU_PHYSICAL_CORES_PER_SOCKET = String(Math.floor(n('CM_HOST_CPU_TOTAL_PHYSICAL_CORES') / n('CM_HOST_CPU_SOCKETS')));
  return { return: 0 };
}
