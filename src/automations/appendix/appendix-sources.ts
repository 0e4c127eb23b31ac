// What an Artifact Appendix is made from, gathered once: the script, the experiment, the locked
// runs; and what the sections read off them (the distinct resolutions, platforms, hosts, repos).
import { isDict, type Dict } from '../../core/merge.js';
import { lockDifferences } from '../script/lockfile/diff-lockfile.js';
import type { LockedRepo } from '../script/lockfile/lockfile.js';
import type { ExperimentFacts } from './experiment-facts.js';
import type { LockedRun } from './locked-run.js';
import type { ScriptFacts } from './script-facts.js';

export interface AppendixSources {
  /** The script described (registered here); absent when a lockfile's script is not. */
  script?: ScriptFacts;
  experiment?: ExperimentFacts;
  runs: LockedRun[];
  /** `runs` is a plan of the script (no lockfile was given: nothing ran). */
  planned: boolean;
  /** The CM that writes the appendix. */
  cmVersion: string;
}

/** Runs that resolved the same tree from the same input, once each, with how many there were. */
export function distinctRuns(runs: readonly LockedRun[]): Array<{ run: LockedRun; count: number }> {
  const out: Array<{ run: LockedRun; count: number }> = [];
  for (const run of runs) {
    const same = out.find(
      (d) =>
        JSON.stringify(d.run.lock.input) === JSON.stringify(run.lock.input) &&
        lockDifferences(d.run.lock, run.lock).length === 0,
    );
    if (same) same.count++;
    else out.push({ run, count: 1 });
  }
  return out;
}

/** "linux x64, Node v20.1.0" for each platform the runs were locked on. */
export function platformsOf(runs: readonly LockedRun[]): string[] {
  const set = new Set(
    runs.map((r) => `${r.lock.platform.os} ${r.lock.platform.arch}, Node ${r.lock.platform.node}`),
  );
  return [...set];
}

/** The CM versions the runs were made with. */
export function cmVersionsOf(runs: readonly LockedRun[]): string[] {
  return [...new Set(runs.map((r) => r.lock.cm_version))];
}

/** "AMD EPYC, 2 cores, 23.5 GiB memory (Linux 6.1)" for each host recorded (cm-output.json, cm-run.json). */
export function hostsOf(s: AppendixSources): string[] {
  const hosts: Dict[] = [];
  for (const r of s.runs) {
    const info = r.output?.['info'];
    if (isDict(info) && isDict(info['host'])) hosts.push(info['host']);
  }
  if (s.experiment?.host) hosts.push(s.experiment.host);
  const lines = hosts.map((h) => {
    const parts: string[] = [];
    if (typeof h['cpu_model'] === 'string') parts.push(h['cpu_model']);
    if (typeof h['cpu_cores'] === 'number') parts.push(`${h['cpu_cores']} cores`);
    if (typeof h['memory_bytes'] === 'number')
      parts.push(`${(h['memory_bytes'] / 2 ** 30).toFixed(1)} GiB memory`);
    const os = [h['os'], h['os_release']].filter((x) => typeof x === 'string').join(' ');
    return `${parts.join(', ')}${os ? ` (${os})` : ''}`;
  });
  return [...new Set(lines.filter((l) => l !== ''))];
}

/** Every repo the runs' scripts came from, each state once (alias → its states). */
export function reposOf(runs: readonly LockedRun[]): Array<[string, LockedRepo]> {
  const out: Array<[string, LockedRepo]> = [];
  const seen = new Set<string>();
  for (const r of runs)
    for (const [alias, repo] of Object.entries(r.lock.repos)) {
      const key = JSON.stringify([alias, repo]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push([alias, repo]);
    }
  return out;
}
