// CM's reproducibility badges of a result (`acm_ctuning_repro_badge_*` keys that are truthy), as
// the `_graph` page showed them for one result.
import type { ResultRow } from './types.js';

const BADGE_PREFIX = 'acm_ctuning_repro_badge_';

export function reproBadges(row: Readonly<ResultRow>): string[] {
  return Object.keys(row).filter((k) => k.startsWith(BADGE_PREFIX) && Boolean(row[k]));
}
