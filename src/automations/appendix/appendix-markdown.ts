// The text of an Artifact Appendix in the ACM/IEEE layout (abstract, check-list, description with
// hardware and software dependencies, installation, workflow, expected results, customization,
// notes), filled from the script's and experiment's meta and the runs' lockfiles. Pure.
import { joinCommand } from '../../core/experiment/command-line.js';
import { isDict, type Dict } from '../../core/merge.js';
import type { LockedRepo } from '../script/lockfile/lockfile.js';
import { scriptRows } from '../script/lockfile/repro-readme.js';
import {
  cmVersionsOf,
  distinctRuns,
  hostsOf,
  platformsOf,
  reposOf,
  type AppendixSources,
} from './appendix-sources.js';
import { resultsLines } from './appendix-results.js';
import { installationLines, workflowLines } from './appendix-workflow.js';
import type { ExperimentFacts } from './experiment-facts.js';

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function experimentCommand(e: ExperimentFacts): string {
  const tail = e.input['unparsed_cmd'];
  if (Array.isArray(tail)) return joinCommand(tail.map(String));
  return text(e.input['cmd']);
}

function dimsOf(e: ExperimentFacts): string[] {
  return isDict(e.input['explore']) ? Object.keys(e.input['explore']) : [];
}

function abstractLines(s: AppendixSources): string[] {
  const out: string[] = [];
  const root = s.runs[0]?.lock.tree;
  if (s.script) {
    const { alias, tags, repo, meta } = s.script;
    const name = text(meta['name']);
    const description = text(meta['description']).replace(/\s*\n\s*/g, ' ');
    out.push(
      `This artifact runs the CM script \`${alias}\`${name ? ` (${name})` : ''}, tags \`${tags.join(',')}\`, from the repo \`${repo}\`.${description ? ` ${description}` : ''}`,
    );
  } else if (root?.script !== undefined)
    out.push(
      `This artifact runs the CM script \`${root.script}\` (uid ${root.uid ?? '?'}). Its repo is not registered where this appendix was written, so its description is not included.`,
    );
  const e = s.experiment;
  if (e) {
    const dims = dimsOf(e);
    const description = text(e.meta['description']);
    if (out.length > 0) out.push('');
    out.push(
      `The experiment \`${e.alias}\`${e.tags.length ? ` (tags \`${e.tags.join(',')}\`)` : ''} runs \`${experimentCommand(e)}\`${dims.length ? ` over ${dims.map((d) => `\`${d}\``).join(' × ')}` : ''}; its run \`${e.runName}\` recorded ${e.results.length} results.${description ? ` ${description}` : ''}`,
    );
  }
  return out;
}

function checklistLines(s: AppendixSources): string[] {
  const roots = [...new Set(s.runs.map((r) => r.lock.tree.script).filter((x) => x !== undefined))];
  const program = s.script ? [s.script.alias] : roots;
  const repos = reposOf(s.runs);
  const unpublished = repos.filter(
    ([, r]) => r.kind === 'local' || (r.kind === 'registered' && !r.url),
  );
  const platforms = platformsOf(s.runs);
  const hosts = hostsOf(s);
  const distinct = distinctRuns(s.runs);
  const items: Array<[string, string]> = [
    [
      'Program',
      program.length ? `CM script ${program.map((p) => `\`${p}\``).join(', ')}` : 'none locked',
    ],
  ];
  if (s.experiment)
    items.push([
      'Experiments',
      `\`cme ${s.experiment.alias}\`: ${s.experiment.results.length} steps recorded`,
    ]);
  items.push(
    ['Run-time environment', platforms.length ? platforms.join('; ') : 'not recorded'],
    [
      'Hardware',
      hosts.length ? hosts.join('; ') : 'not recorded (the lockfiles record the platform only)',
    ],
    [
      'Output',
      [
        s.experiment ? '`cm-result.json` (results of each step)' : '',
        s.runs.some((r) => r.output) ? '`cm-output.json` (the env each run exported)' : '',
      ]
        .filter(Boolean)
        .join(', ') || "the scripts' own files",
    ],
    [
      'Publicly available',
      unpublished.length === 0
        ? 'yes: every repo it uses has a public commit or ships with CM'
        : `not all: ${unpublished.map(([a]) => `\`${a}\``).join(', ')} has no remote to pull from`,
    ],
    ['Workflow framework used', `Collective Mind (CM) in TypeScript ${cmVersions(s)}`],
    [
      'Reproducibility',
      s.planned
        ? 'planned only: run it with `--repro` to lock what it resolves'
        : `${count(s.runs.length, 'lockfile')} (${count(distinct.length, 'distinct resolution')}): \`--frozen\` refuses a run that would resolve differently`,
    ],
  );
  return items.map(([k, v]) => `- **${k}:** ${v}`);
}

/** The CM versions that made the lockfiles (this one's when there are none). */
function cmVersions(s: AppendixSources): string {
  const locked = cmVersionsOf(s.runs);
  return (locked.length > 0 ? locked : [s.cmVersion]).join(', ');
}

function repoLine(alias: string, r: LockedRepo): string {
  const parts: string[] = [r.kind];
  if (r.url) parts.push(r.url);
  const at = r.commit ? ` at commit \`${r.commit}\`` : '';
  const dirty = r.dirty ? ' (with uncommitted changes)' : '';
  const shipped = r.cm_version ? `, shipped with CM ${r.cm_version}` : '';
  return `- \`${alias}\`: ${parts.join(', ')}${at}${dirty}${shipped}`;
}

function descriptionLines(s: AppendixSources): string[] {
  const repos = reposOf(s.runs);
  const platforms = platformsOf(s.runs);
  const hosts = hostsOf(s);
  const where = s.experiment
    ? [
        `The experiment \`${s.experiment.alias}\` is a CM artifact: \`cm push experiment\` shares it, \`cm pull experiment\` brings it.`,
        '',
      ]
    : [];
  return [
    '### A.3.1 How to access',
    '',
    ...where,
    ...(repos.length > 0
      ? [
          'The scripts come from these repos (A.4 installs them at these commits):',
          '',
          ...repos.map(([alias, r]) => repoLine(alias, r)),
        ]
      : ['No CM script run was locked (`cme … --lock` records the lockfile of each step).']),
    '',
    '### A.3.2 Hardware dependencies',
    '',
    platforms.length ? `Locked on ${platforms.join('; ')}.` : 'No lockfile records a platform.',
    ...(hosts.length ? ['', `Hosts that ran it: ${hosts.join('; ')}.`] : []),
    '',
    '### A.3.3 Software dependencies',
    '',
    ...softwareLines(s),
  ];
}

/** A.3.3: CM and Node, and the table of the scripts the runs resolved (each row once). */
function softwareLines(s: AppendixSources): string[] {
  const rows: string[] = [];
  for (const { run } of distinctRuns(s.runs)) scriptRows(run.lock.tree, '', rows);
  const head = `Node.js and Collective Mind (CM) in TypeScript ${cmVersions(s)}`;
  if (rows.length === 0) return [`${head}.`];
  return [
    `${head}; the CM scripts below resolve the rest (tools, libraries, data sets) at these versions:`,
    '',
    '| script | needed by | variations | version | repo |',
    '| --- | --- | --- | --- | --- |',
    ...new Set(rows),
  ];
}

function customizationLines(s: AppendixSources): string[] {
  const out: string[] = [];
  const flags =
    s.script && isDict(s.script.meta['input_description'])
      ? s.script.meta['input_description']
      : {};
  for (const [k, v] of Object.entries(flags)) {
    const d: Dict = isDict(v) ? v : {};
    const dflt = d['default'] !== undefined ? ` (default: \`${String(d['default'])}\`)` : '';
    out.push(`- \`--${k}\`: ${text(d['desc']) || text(v) || 'no description'}${dflt}`);
  }
  if (s.experiment)
    for (const dim of dimsOf(s.experiment))
      out.push(
        `- \`--explore.${dim}=VALUES\`: other values of \`${dim}\` (a list, \`range(...)\`, \`a:b:step\`)`,
      );
  return out.length > 0
    ? out
    : [
        'The script documents no flags of its own (`cm run script … --help` lists the common ones).',
      ];
}

function notesLines(s: AppendixSources): string[] {
  const out: string[] = [];
  if (s.planned)
    out.push(
      '- Made from a plan of the script (nothing ran): versions that only running finds are left empty, and there is no lockfile to run frozen yet.',
    );
  for (const [alias, r] of reposOf(s.runs))
    if (r.dirty)
      out.push(
        `- The repo \`${alias}\` had uncommitted changes when it was locked: its commit alone does not give those files.`,
      );
  if (platformsOf(s.runs).length > 1)
    out.push('- The runs were locked on more than one platform (A.3.2).');
  out.push(
    '- `cm lock diff OLD.json NEW.json` lists what resolves differently between two lockfiles.',
  );
  return out;
}

/** The appendix as Markdown. */
export function renderAppendix(s: AppendixSources): string {
  return [
    '# Artifact Appendix',
    '',
    '## A.1 Abstract',
    '',
    ...abstractLines(s),
    '',
    '## A.2 Artifact check-list (meta-information)',
    '',
    ...checklistLines(s),
    '',
    '## A.3 Description',
    '',
    ...descriptionLines(s),
    '',
    '## A.4 Installation',
    '',
    ...installationLines(s),
    '',
    '## A.5 Experiment workflow',
    '',
    ...workflowLines(s),
    '',
    '## A.6 Evaluation and expected results',
    '',
    ...resultsLines(s),
    '',
    '## A.7 Experiment customization',
    '',
    ...customizationLines(s),
    '',
    '## A.8 Notes',
    '',
    ...notesLines(s),
    '',
  ].join('\n');
}
