// What the search knows of each script: its names, tags, variations, inputs, category and what it
// says of itself (the meta's name and description, or its README's first paragraph), read from the
// artifact index and the metas as every query reads them, so the search is exactly as fresh.
import { readFileSync } from 'node:fs';
import { isDict, type Dict } from '../../../core/merge.js';
import type { ArtifactEntry } from '../../../db/artifact-entry.js';
import { sub } from '../../../db/index-freshness.js';
import type { CmContext } from '../../context.js';
import { loadMeta } from '../select.js';

export interface ScriptDocument {
  /** Position in the list (the search's id). */
  id: number;
  path: string;
  uid: string;
  /** The alias and format of its repo. */
  repo: string;
  format: 'cm' | 'mlc';
  alias: string;
  tags: string[];
  /** Variation names and their group ('' for none), in the meta's order. */
  variations: Array<[string, string]>;
  /** Text fields, as searched. */
  name: string;
  category: string;
  inputs: string;
  description: string;
}

const README_FILES = ['README-extra.md', 'README.md'];

/** The first paragraph of prose of a README (no heading, badge, list, table, HTML or code). */
export function firstParagraph(markdown: string): string {
  const lines: string[] = [];
  let inCode = false;
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('```')) {
      inCode = !inCode;
      continue;
    }
    if (inCode) continue;
    if (line === '') {
      if (lines.length > 0) break;
      continue;
    }
    if (/^(#|!|\[!|<|\||[-*+] |\d+\. |>|\*?(note|automatically generated))/i.test(line)) {
      if (lines.length > 0) break;
      continue;
    }
    lines.push(line);
  }
  return lines
    .join(' ')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]{1,2}([^`*_]+)[`*_]{1,2}/g, '$1')
    .trim();
}

function readmeParagraph(dir: string): string {
  for (const p of readmeFiles(dir)) {
    try {
      const text = firstParagraph(readFileSync(p, 'utf8'));
      if (text) return text;
    } catch {
      // no such README, or an unreadable one: it says nothing
    }
  }
  return '';
}

function text(v: unknown): string {
  return typeof v === 'string' ? v.trim() : '';
}

function variationsOf(meta: Dict): Array<[string, string]> {
  const vs = isDict(meta['variations']) ? meta['variations'] : {};
  return Object.entries(vs).map(([name, v]) => [name, isDict(v) ? text(v['group']) : '']);
}

function inputsOf(meta: Dict): string {
  const names = new Set<string>();
  for (const k of ['input_mapping', 'input_description'])
    if (isDict(meta[k])) for (const n of Object.keys(meta[k])) names.add(n);
  return [...names].join(' ');
}

/** The README files a script's description may come from (their stamps make the search's key). */
export function readmeFiles(dir: string): string[] {
  // sub(), not path.join: joining for every script of a catalog is measurable in a search.
  return README_FILES.map((f) => sub(dir, f));
}

/** The scripts `entries` as the search sees them (a broken meta leaves its script out). */
export function scriptDocuments(
  ctx: CmContext,
  entries: readonly ArtifactEntry[],
): ScriptDocument[] {
  const docs: ScriptDocument[] = [];
  for (const entry of entries) {
    let meta: Dict;
    try {
      meta = loadMeta(ctx, entry);
    } catch {
      continue; // a broken meta is reported by the commands that use it, not by a search
    }
    docs.push({
      id: docs.length,
      path: entry.path,
      uid: entry.uid,
      repo: entry.repo.alias,
      format: entry.repo.format === 'mlc' ? 'mlc' : 'cm',
      alias: entry.alias,
      tags: entry.tags,
      variations: variationsOf(meta),
      name: text(meta['name']),
      category: text(meta['category']),
      inputs: inputsOf(meta),
      description: text(meta['description']) || readmeParagraph(entry.path),
    });
  }
  return docs;
}
