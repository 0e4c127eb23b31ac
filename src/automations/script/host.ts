// Host OS facts that hooks get as `os_info` and the wrapper uses (§10.1).
import { arch, machine, platform } from 'node:os';
import type { Dict } from '../../core/merge.js';
import { ENV_PREFIX_OF, type RepoFormat } from '../../db/repo.js';

export interface OsInfo extends Dict {
  platform: string;
  bat_ext: string;
  set_env: string;
  env_separator: string;
  env_var: string;
  start_script: string[];
  run_bat: string;
  run_local_bat_from_python: string;
  set_exec_file: string;
  env: Dict;
  bits: string;
  python_bits: string;
}

let cached: OsInfo | undefined;
const byFormat = new Map<RepoFormat, OsInfo>();

/**
 * What hooks of a script in a repo of `format` get as `os_info`: the env part carries that format's
 * prefix, and mlcflow also puts the OS type and the machine there (MLC_HOST_OS_TYPE ...).
 */
export function hostOsInfo(format: RepoFormat = 'cm'): OsInfo {
  let info = byFormat.get(format);
  if (!info) {
    const base = baseOsInfo();
    const windows = base.platform === 'windows' ? { WINDOWS: 'yes' } : {};
    const more =
      format === 'mlc' ? { HOST_OS_TYPE: base.platform, HOST_PLATFORM_FLAVOR: machine() } : {};
    const prefix = ENV_PREFIX_OF[format];
    const env = Object.fromEntries(
      Object.entries({ ...windows, ...more }).map(([k, v]) => [prefix + k, v]),
    );
    info = { ...base, env };
    byFormat.set(format, info);
  }
  return info;
}

function baseOsInfo(): OsInfo {
  if (cached) return cached;
  const p = platform();
  const windows = p === 'win32';
  const bits = ['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64'].includes(arch())
    ? '64'
    : '32';
  cached = windows
    ? {
        platform: 'windows',
        bat_ext: '.bat',
        set_env: 'set ${key}=${value}',
        env_separator: ';',
        env_var: '%env_var%',
        start_script: ['@echo off', ''],
        run_bat: 'call ${bat_file}',
        run_local_bat_from_python: 'call ${bat_file}',
        set_exec_file: '',
        env: {},
        bits,
        python_bits: bits,
      }
    : {
        platform: p === 'darwin' ? 'darwin' : 'linux',
        bat_ext: '.sh',
        set_env: 'export ${key}="${value}"',
        env_separator: ':',
        env_var: '${env_var}',
        start_script: ['#!/bin/bash', ''],
        run_bat: '. ${bat_file}',
        run_local_bat_from_python: 'bash -c ". ./${bat_file}"',
        set_exec_file: 'chmod 755 "${file_name}"',
        env: {},
        bits,
        python_bits: bits,
      };
  return cached;
}
