// mtime and size of a path, for the index's freshness check: one call per artifact on every
// command. fs.statSync builds a Stats object with four Date objects each time, which at 10,000
// artifacts costs more than the system calls; Node's own fs binding returns plain numbers. That
// binding is internal, so it is used only after it agreed with fs.statSync on a real file, and
// any surprise switches back to fs.statSync for good.
import { statSync } from 'node:fs';

/** [mtimeMs, size, isFile] or undefined when the path does not exist. */
export type FileStat = readonly [mtimeMs: number, size: number, isFile: boolean];

type StatBinding = {
  stat(
    path: string,
    bigint: false,
    req: undefined,
    throwIfNoEntry: false,
  ): Float64Array | undefined;
};

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

function viaStatSync(path: string): FileStat | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? [st.mtimeMs, st.size, st.isFile()] : undefined;
}

function fromBinding(v: Float64Array): FileStat {
  // Layout of Node's stat array: mode at 1, size at 8, atime at 10/11, mtime seconds/nanoseconds at 12/13.
  return [v[12]! * 1e3 + v[13]! / 1e6, v[8]!, (v[1]! & S_IFMT) === S_IFREG];
}

function loadBinding(probe: string): StatBinding | undefined {
  try {
    const major = Number(process.versions.node.split('.')[0]);
    if (major !== 20) return undefined;
    const getBinding = (process as unknown as { binding?: (name: string) => unknown }).binding;
    const b = getBinding?.call(process, 'fs') as StatBinding | undefined;
    if (typeof b?.stat !== 'function') return undefined;
    const expected = viaStatSync(probe);
    const got = b.stat(probe, false, undefined, false);
    if (!expected || !(got instanceof Float64Array)) return undefined;
    const mine = fromBinding(got);
    const same = mine[0] === expected[0] && mine[1] === expected[1] && mine[2] === expected[2];
    return same && b.stat(`${probe}.does-not-exist`, false, undefined, false) === undefined
      ? b
      : undefined;
  } catch {
    return undefined;
  }
}

let binding: StatBinding | undefined | null = null;

/**
 * fastStat without allocating: writes mtimeMs and size to out[0], out[1]; false when the path
 * does not exist. For the loop that checks every artifact on every command.
 */
export function statInto(path: string, out: Float64Array): boolean {
  if (binding === null) binding = loadBinding(process.execPath);
  if (binding !== undefined) {
    try {
      const v = binding.stat(path, false, undefined, false);
      if (v === undefined) return false;
      out[0] = v[12]! * 1e3 + v[13]! / 1e6;
      out[1] = v[8]!;
      return true;
    } catch {
      binding = undefined;
    }
  }
  const st = viaStatSync(path);
  if (!st) return false;
  out[0] = st[0];
  out[1] = st[1];
  return true;
}

/** Which implementation fastStat uses on this Node (reported by the benchmark). */
export function statBackend(): 'node-binding' | 'fs.statSync' {
  if (binding === null) binding = loadBinding(process.execPath);
  return binding ? 'node-binding' : 'fs.statSync';
}

/** stat for hot loops; same numbers as fs.statSync's mtimeMs, size and isFile(). */
export function fastStat(path: string): FileStat | undefined {
  if (binding === null) binding = loadBinding(process.execPath);
  if (binding === undefined) return viaStatSync(path);
  try {
    const v = binding.stat(path, false, undefined, false);
    return v === undefined ? undefined : fromBinding(v);
  } catch {
    binding = undefined;
    return viaStatSync(path);
  }
}
