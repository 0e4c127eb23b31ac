// `cm run script ... --repro`: cm-output.json in the working folder, as the reference writes it
// (info about the host and this run, the input, the output, version_info: the scripts, variations
// and versions the run resolved), so that an experiment step wrapping a script records them.
import { join } from 'node:path';
import type { Dict } from '../../core/merge.js';
import { withoutSecrets, type KnownSecrets } from '../../core/secrets.js';
import { genUid } from '../../db/uid.js';
import { writeFileAtomic } from '../../db/atomic-file.js';
import { hostInfo } from '../machine.js';
import type { RunNode } from './run-shared.js';

/** CM's version_info: one entry per script that ran or came from the cache, in run order (deps first). */
export function versionInfo(root: RunNode, parent: string | null = null, out: Dict[] = []): Dict[] {
  const here = root.script !== undefined ? root.tags || root.script : undefined;
  for (const d of root.deps) versionInfo(d, here ?? parent, out);
  if (root.script !== undefined && (root.status === 'ran' || root.status === 'cached'))
    out.push({
      [here!]: {
        script_uid: root.uid ?? '',
        script_alias: root.script,
        script_tags: root.tags,
        script_variations: (root.variations ?? []).map((v) => v.name).join(','),
        version: root.version ?? '',
        parent,
      },
    });
  return out;
}

const INTERNAL = ['cmd', 'parsed_artifact', 'parsed_automation', 'out'];

/** Write cm-output.json into `dir`; returns its path. */
export function writeReproOutput(o: {
  dir: string;
  input: Dict;
  result: Dict;
  root: RunNode;
  cmVersion: string;
  /** Secrets named with --secret.NAME (left out like those with secret keys). */
  known?: KnownSecrets;
}): string {
  const input: Dict = {};
  for (const [k, v] of Object.entries(o.input)) if (!INTERNAL.includes(k)) input[k] = v;
  const now = new Date();
  const doc = {
    return: 0,
    info: {
      host: hostInfo(),
      cm_version: o.cmVersion,
      run_uid: genUid(),
      run_iso_datetime: now.toISOString(),
    },
    input: withoutSecrets(input, o.known),
    output: withoutSecrets(
      {
        new_env: o.result['new_env'] ?? {},
        new_state: o.result['new_state'] ?? {},
      },
      o.known,
    ),
    version_info: versionInfo(o.root),
  };
  const file = join(o.dir, 'cm-output.json');
  writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n');
  return file;
}
