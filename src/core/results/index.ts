// The results playground's pure core (gui.md §5): the query engine, the key catalogue, exports
// and the explore page's URL. No I/O: bundled into the browser as well. This file gathers the API.
export type * from './types.js';
export { runQuery, type QueryOptions } from './query.js';
export { keyCatalogue, PREFERRED_KEYS, type CatalogueOptions } from './key-catalogue.js';
export { toCsv, toJsonExport } from './csv.js';
export { viewFromParams, paramsOfView, queryOfView, DEFAULT_CHART } from './view-url.js';
export { legacyRedirect, type LegacyRedirect } from './legacy-url.js';
export { guessGoal } from './guess-goal.js';
export { PROVENANCE_FIELDS, FLAG_FIELDS } from './reserved-fields.js';
