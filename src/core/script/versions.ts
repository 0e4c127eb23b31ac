// Version strings as scripts use them: compare, check constraints, the pip version string.

/**
 * Compare two versions: `.`-separated parts, numeric parts as numbers, missing parts are 0
 * (`3.9` == `3.9.0`). Unlike the reference (which crashes on `3.10` vs `3.rc1`) this is a total
 * order: a numeric part sorts after a non-numeric one (`1.0.rc1` < `1.0.0`), text parts compare
 * as strings.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.trim().split(/[.]/);
  const pb = b.trim().split(/[.]/);
  const n = Math.max(pa.length, pb.length);
  for (let k = 0; k < n; k++) {
    const x = pa[k] ?? '0';
    const y = pb[k] ?? '0';
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d < 0 ? -1 : 1;
    } else if (nx !== ny) {
      return nx ? 1 : -1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

export interface VersionConstraints {
  version?: string;
  version_min?: string;
  version_max?: string;
  version_max_usable?: string;
}

/** Why `detected` does not satisfy the constraints, or undefined when it does. */
export function versionViolation(detected: string, c: VersionConstraints): string | undefined {
  if (c.version && detected !== c.version) return `version ${detected} is not ${c.version}`;
  if (c.version_min && compareVersions(detected, c.version_min) < 0)
    return `version ${detected} is below version_min ${c.version_min}`;
  if (c.version_max && compareVersions(detected, c.version_max) > 0)
    return `version ${detected} is above version_max ${c.version_max}`;
  return undefined;
}

/** `==v`, `>=min,<=max`, `>=min`, `<=max` or '' (CM_TMP_PIP_VERSION_STRING). */
export function pipVersionString(c: VersionConstraints): string {
  if (c.version) return `==${c.version}`;
  if (c.version_min && c.version_max) return `>=${c.version_min},<=${c.version_max}`;
  if (c.version_min) return `>=${c.version_min}`;
  if (c.version_max) return `<=${c.version_max}`;
  return '';
}

/** A default version clamped into [min, max] (above max: max_usable if given, else max). */
export function clampDefaultVersion(def: string, c: VersionConstraints): string {
  if (c.version_max && compareVersions(def, c.version_max) > 0)
    return c.version_max_usable || c.version_max;
  if (c.version_min && compareVersions(def, c.version_min) < 0) return c.version_min;
  return def;
}
