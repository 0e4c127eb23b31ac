// What checking a script meta needs besides the meta: the shipped JSON Schema (schema/ beside the
// built-in repo in the package, read once per process) and the meta's file, for messages.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CmError } from '../../core/errors.js';
import type { Dict } from '../../core/merge.js';
import type { ScriptMetaSource } from '../../core/script/script-meta.js';
import type { ArtifactEntry } from '../../db/artifact-entry.js';
import { metaFileFor } from '../../db/artifact.js';
import type { CmContext } from '../context.js';

/** Where the shipped schema is: `schema/` beside the built-in repo in the package. */
export function schemaPath(ctx: CmContext): string {
  return resolve(ctx.internalRepoPath, '..', 'schema', 'script-meta.schema.json');
}

/** Parsed schemas by path: one read and one compiled checker per process. */
const schemas = new Map<string, Dict>();

/** The parsed schema of script metas. */
export function scriptSchema(ctx: CmContext): Dict {
  const file = schemaPath(ctx);
  let schema = schemas.get(file);
  if (!schema) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CmError('file-not-found', `the schema of script metas is missing: ${file}`, {
        hint: 'the package is incomplete: install it again',
        cause: e,
      });
    }
    schema = JSON.parse(text) as Dict;
    schemas.set(file, schema);
  }
  return schema;
}

/** The schema and the meta file of a script, for checkScriptMeta and resolveScriptMeta. */
export function scriptMetaSource(ctx: CmContext, entry: ArtifactEntry): ScriptMetaSource {
  return { file: () => metaFileFor(entry.path), schema: scriptSchema(ctx) };
}
