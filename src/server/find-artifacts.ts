// `cm find` for a server: a long-lived process, so the index is re-validated first (sweeps,
// replays and pulls add artifacts under it); none found is an empty list, not an error.
import { CmError } from '../core/errors.js';
import type { Cm } from '../index.js';

/** The `find` list of `automation` artifacts with all of `tags` (comma-separated). */
export async function findArtifacts(
  cm: Cm,
  automation: string,
  tags?: string,
): Promise<Array<Record<string, unknown>>> {
  cm.context.index.markStale();
  const r = await cm.access({ action: 'find', automation, ...(tags ? { tags } : {}) });
  if (r['return'] === 0) return r['list'] as Array<Record<string, unknown>>;
  if (r['code'] === 'artifact-not-found') return [];
  throw new CmError('bad-input', String(r['error']), {
    ...(typeof r['hint'] === 'string' ? { hint: r['hint'] } : {}),
  });
}
