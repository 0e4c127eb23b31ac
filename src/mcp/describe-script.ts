// describe_script: a script's meta (`cm load script NAME -j`) told as an agent needs it: variations
// by group with the defaults, inputs (input_mapping, input_description), deps by kind, versions and
// what it exports (new_env_keys, new_state_keys). Pure apart from loadScriptMeta.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runCli, type CliOptions } from './cli-child.js';
import { cliResult, toolResult } from './tool-result.js';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];

/** The meta and artifact of `cm load script NAME -j`. */
export async function loadScriptMeta(
  name: string,
  opts: CliOptions,
): Promise<{ meta: Dict; artifact: Dict }> {
  const out = await runCli(['load', 'script', name, '-j'], opts);
  const result = cliResult(out, `cm load script ${name}`);
  return {
    meta: isDict(result['meta']) ? result['meta'] : {},
    artifact: isDict(result['artifact']) ? result['artifact'] : {},
  };
}

function variationsByGroup(meta: Dict): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  const vars = isDict(meta['variations']) ? meta['variations'] : {};
  for (const [name, v] of Object.entries(vars)) {
    const group = isDict(v) && typeof v['group'] === 'string' ? v['group'] : 'ungrouped';
    (groups[group] ??= []).push(`_${name}`);
  }
  return groups;
}

function inputs(meta: Dict): Record<string, { env: string; description?: string }> {
  const mapping = isDict(meta['input_mapping']) ? meta['input_mapping'] : {};
  const described = isDict(meta['input_description']) ? meta['input_description'] : {};
  const out: Record<string, { env: string; description?: string }> = {};
  for (const [key, env] of Object.entries(mapping)) {
    const d = described[key];
    const text = isDict(d) ? d['desc'] : d;
    out[key] = { env: String(env), ...(typeof text === 'string' ? { description: text } : {}) };
  }
  return out;
}

function depTags(meta: Dict): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const kind of ['deps', 'prehook_deps', 'posthook_deps', 'post_deps']) {
    const list = Array.isArray(meta[kind]) ? (meta[kind] as unknown[]) : [];
    const tags = list.filter(isDict).map((d) => strings(d['tags']).join(','));
    if (tags.length > 0) out[kind] = tags;
  }
  return out;
}

/** The description of a script from its meta (the data an agent gets back). */
export function describeMeta(meta: Dict, artifact: Dict): Dict {
  return {
    alias: meta['alias'] ?? artifact['alias'],
    uid: meta['uid'] ?? artifact['uid'],
    repo: artifact['repo_alias'],
    path: artifact['path'],
    tags: strings(meta['tags']),
    ...(typeof meta['name'] === 'string' ? { name: meta['name'] } : {}),
    ...(typeof meta['description'] === 'string' ? { description: meta['description'] } : {}),
    cache: meta['cache'] === true,
    variations: variationsByGroup(meta),
    default_variations: isDict(meta['default_variations']) ? meta['default_variations'] : {},
    inputs: inputs(meta),
    deps: depTags(meta),
    versions: {
      ...(meta['default_version'] !== undefined
        ? { default: String(meta['default_version']) }
        : {}),
      known: isDict(meta['versions']) ? Object.keys(meta['versions']) : [],
    },
    exports: { env: strings(meta['new_env_keys']), state: strings(meta['new_state_keys']) },
  };
}

function summaryOf(d: Dict): string {
  const groups = d['variations'] as Record<string, string[]>;
  const deps = d['deps'] as Record<string, string[]>;
  const exportsOf = d['exports'] as { env: string[]; state: string[] };
  const lines = [
    `Script ${String(d['alias'])} (tags ${(d['tags'] as string[]).join(',')})${d['cache'] ? ', cached' : ''}.`,
    ...Object.entries(groups).map(([g, vs]) => `Variations ${g}: ${vs.join(' ')}`),
    `Inputs: ${Object.keys(d['inputs'] as Dict).join(', ') || 'none'}`,
    `Deps: ${(deps['deps'] ?? []).join(' | ') || 'none'}`,
    `Exports: ${[...exportsOf.env, ...exportsOf.state].join(', ') || 'nothing'}`,
  ];
  return lines.join('\n');
}

export async function describeScript(name: string, opts: CliOptions): Promise<CallToolResult> {
  const { meta, artifact } = await loadScriptMeta(name, opts);
  const d = describeMeta(meta, artifact);
  return toolResult(summaryOf(d), d);
}
