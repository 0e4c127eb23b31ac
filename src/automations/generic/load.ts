// `cm load <automation> NAME [--yaml]`: print one artifact's meta.
import { loadArtifact } from '../../db/artifact.js';
import { formatJson, formatYaml } from '../../db/meta-file.js';
import type { ActionSpec } from '../action.js';
import { bool } from '../input.js';
import { artifactView, selectOne } from './select.js';

export const load: ActionSpec = {
  summary: "print one artifact's meta (with _base inheritance applied)",
  usage: 'cm load AUTOMATION [repo:]NAME [--yaml] [--ignore_inheritance]',
  flags: [
    ['--yaml', 'print YAML instead of JSON'],
    ['--ignore_inheritance', 'show the meta as written, _base included'],
    ['--tags=a,b', 'select the artifact by tags'],
  ],
  run(input, ctx, automation) {
    const entry = selectOne(ctx, automation, input);
    const loaded = loadArtifact(entry, () => ctx.index.entries(), {
      ignoreInheritance: bool(input, 'ignore_inheritance'),
      cacheDir: ctx.paths.metaCacheDir,
    });
    const meta = bool(input, 'ignore_inheritance') ? loaded.originalMeta : loaded.meta;
    ctx.emit({
      type: 'output',
      text: (bool(input, 'yaml') ? formatYaml(meta) : formatJson(meta)).trimEnd(),
    });
    return {
      path: loaded.path,
      meta,
      original_meta: loaded.originalMeta,
      artifact: artifactView(entry),
    };
  },
};
