// `cm help script NAME` / `cm run script NAME --help`: what a script does and how to drive it.
import { isDict, type Dict } from '../../core/merge.js';
import { tagList } from '../../core/tags.js';
import { DEP_LISTS, namesOf } from '../../core/script/deps.js';
import { isTruthy } from '../../core/script/env.js';
import type { Candidate } from './select.js';

function depLine(d: Dict): string {
  const parts = [`"${tagList(d['tags']).join(',')}"`];
  const names = namesOf(d);
  if (names.length) parts.push(`names ${names.join(',')} (--adr.${names[0]}.tags=...)`);
  for (const k of ['enable_if_env', 'skip_if_env', 'enable_if_any_env', 'skip_if_any_env'])
    if (isDict(d[k])) parts.push(`${k} ${JSON.stringify(d[k])}`);
  for (const k of ['version', 'version_min', 'version_max'])
    if (typeof d[k] === 'string') parts.push(`${k} ${d[k]}`);
  return parts.join('; ');
}

export function scriptHelpText(c: Candidate): string {
  const m = c.meta;
  const lines: string[] = [];
  lines.push(
    `Script "${c.entry.alias}" (uid ${c.entry.uid})${typeof m['name'] === 'string' ? `: ${m['name']}` : ''}`,
  );
  if (typeof m['description'] === 'string') lines.push('', m['description'].trimEnd(), '');
  lines.push(`Path: ${c.entry.path}`);
  lines.push(`Tags: ${tagList(m['tags']).join(',')}`);
  lines.push(
    `Cached: ${isTruthy(m['cache']) ? 'yes' : 'no'}${isTruthy(m['can_force_cache']) ? ' (--force_cache allowed)' : ''}`,
  );
  lines.push(`Run: cm run script "${tagList(m['tags']).join(' ')}" [_VARIATION ...] [--flags]`);
  const variations = isDict(m['variations']) ? m['variations'] : {};
  const keys = Object.keys(variations);
  if (keys.length) {
    lines.push('', 'Variations:');
    const groups = new Map<string, string[]>();
    const combos: string[] = [];
    for (const k of keys) {
      if (k.includes(',')) {
        combos.push(k);
        continue;
      }
      const v = isDict(variations[k]) ? (variations[k] as Dict) : {};
      const g = typeof v['group'] === 'string' ? v['group'] : '';
      const notes: string[] = [];
      if (v['default'] === true) notes.push('default');
      if (typeof v['alias'] === 'string') notes.push(`alias of _${v['alias']}`);
      if (Array.isArray(v['base']))
        notes.push(`adds ${v['base'].map((b) => `_${String(b)}`).join(',')}`);
      if (isDict(v['env'])) {
        const e = Object.entries(v['env'])
          .slice(0, 3)
          .map(([a, b]) => `${a}=${String(b)}`);
        if (e.length) notes.push(e.join(' '));
      }
      const list = groups.get(g) ?? [];
      list.push(`_${k}${notes.length ? `  (${notes.join('; ')})` : ''}`);
      groups.set(g, list);
    }
    for (const [g, list] of [...groups.entries()].sort(([a], [b]) =>
      a === '' ? 1 : b === '' ? -1 : a.localeCompare(b),
    )) {
      lines.push(`  ${g ? `group "${g}" (choose one)` : 'independent'}:`);
      for (const l of list.sort()) lines.push(`    ${l}`);
    }
    if (combos.length)
      lines.push(
        `  combinations with extra settings: ${combos
          .map((c) =>
            c
              .split(',')
              .map((x) => `_${x}`)
              .join('+'),
          )
          .join(', ')}`,
      );
  }
  const mapping = isDict(m['input_mapping']) ? m['input_mapping'] : {};
  const desc = isDict(m['input_description']) ? m['input_description'] : {};
  if (Object.keys(mapping).length || Object.keys(desc).length) {
    lines.push('', 'Inputs:');
    for (const flag of [...new Set([...Object.keys(mapping), ...Object.keys(desc)])].sort()) {
      const d = isDict(desc[flag]) ? (desc[flag] as Dict) : {};
      const text = typeof d['desc'] === 'string' ? `  ${d['desc']}` : '';
      const def = d['default'] !== undefined ? ` (default ${String(d['default'])})` : '';
      const env = typeof mapping[flag] === 'string' ? `  -> env ${mapping[flag]}` : '';
      lines.push(`  --${flag}${env}${text}${def}`);
    }
  }
  if (isDict(m['default_env']) && Object.keys(m['default_env']).length) {
    lines.push('', 'Default env (override with --env.KEY=VALUE):');
    for (const [k, v] of Object.entries(m['default_env'])) lines.push(`  ${k}=${String(v)}`);
  }
  if (isDict(m['versions']) || typeof m['default_version'] === 'string') {
    lines.push(
      '',
      `Versions: ${Object.keys(isDict(m['versions']) ? m['versions'] : {}).join(', ') || '(any)'}${typeof m['default_version'] === 'string' ? `; default ${m['default_version']}` : ''}  (--version, --version_min, --version_max)`,
    );
  }
  for (const l of DEP_LISTS) {
    const deps = Array.isArray(m[l]) ? (m[l] as unknown[]).filter(isDict) : [];
    if (deps.length === 0) continue;
    lines.push('', `${l}:`);
    for (const d of deps) lines.push(`  ${depLine(d)}`);
  }
  const keys2 = Array.isArray(m['new_env_keys']) ? m['new_env_keys'].map(String) : [];
  if (keys2.length) lines.push('', `Exports env: ${keys2.join(' ')}`);
  lines.push('', 'Plan without running: add --dry-run. All flags of run: cm run script --help');
  return lines.join('\n');
}
