// `cm`, `cm help`, `cm --help`: usage, generic actions, automations and common flags.
import type { CmContext } from '../automations/context.js';
import { AUTOMATION_FILTER } from '../automations/registry.js';
import { isCmError } from '../core/errors.js';

export const USAGE = 'cm {action} {automation} {artifact(s)} {flags} @input.yaml @input.json';

export function generalHelp(ctx: CmContext): string {
  const lines = [
    `usage: ${USAGE}`,
    '       cmr "tags of a script" [flags]   (= cm run script ...)',
    '       cme ...                          (= cm run experiment ...)',
    '       cm gui [--port=8501] (cmg)       the results playground in the browser (cm gui --help)',
    '       cm serve --db=postgres://...     the team results server (cm serve --help)',
    '       cm lock diff OLD.json NEW.json   what resolves differently between two run lockfiles',
    '       cm bundle create|install ...     offline bundles of a locked run (cm bundle --help)',
    '       cm generate appendix ...         an Artifact Appendix from lockfiles, a script, an experiment',
    '       cm suggest "WORDS…"              scripts for a request in plain words (cm suggest --help)',
    '       cm mcp [--allow-run[=TAGS]]      an MCP server over stdio for AI agents (cm mcp --help)',
    "       mlc ACTION TARGET [flags]        (mlcflow's command line: mlc --help)",
    '       mlcr TAGS [flags]                (= cm run script --tags=TAGS, as mlcflow)',
    '       mlce TAGS [flags]                (= cm run experiment --tags=TAGS, as mlcflow)',
    '',
    'Common actions of every automation:',
    '  add                              create an artifact',
    '  search (find, ls, list)          find artifacts by name and --tags=a,b,-c',
    '  load                             print the meta of one artifact',
    '  update                           merge meta into artifacts',
    '  delete (rm, remove)              delete artifacts (-f to skip the question)',
    '  copy (cp)                        copy an artifact (new uid)',
    '  move (mv, ren, rename)           rename or move an artifact (same uid)',
    '  info                             CM ids, path and files of an artifact',
    '  help                             actions of an automation: cm help AUTOMATION',
    '',
  ];
  try {
    const autos = ctx.index.query({ automation: AUTOMATION_FILTER });
    lines.push('Automations:');
    for (const a of autos) lines.push(`  ${a.alias.padEnd(32)} ${a.repo.alias}  ${a.path}`);
    lines.push('');
  } catch (e) {
    if (!isCmError(e)) throw e;
    lines.push(`(automations unavailable: ${e.message})`, '');
  }
  lines.push(
    'Flags:',
    '  --key=value, --key (true), --key- (false), --a.b=v (nested), --list,=a,b (list)',
    '  @file.json|@file.yaml             merge keys from a file',
    '  -- ARGS                           pass the rest verbatim (unparsed_cmd)',
    '  -j, --json, --out=json            print the full result as JSON on stdout',
    '  -s, --silent                      no progress messages on stderr',
    '  --help on any action              describe it: cm find automation --help',
    '  --version                         print the version',
    '',
    'Environment: CM_REPOS (CM home, default ~/CM), CM_INDEX=no (no persistent index), CM_DEBUG=*',
  );
  return lines.join('\n');
}
