// A report artifact's README.md as HTML that is safe to insert: markdown-it with raw HTML off
// (tags show as text) and only http(s)/relative links.
import MarkdownIt from 'markdown-it';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readArtifactMeta } from '../../../db/artifact.js';
import type { ReportInfo } from '../../../core/results/types.js';

const md = new MarkdownIt({ html: false, linkify: true });

export function renderMarkdown(text: string): string {
  return md.render(text);
}

export function renderReport(path: string): ReportInfo {
  let meta: Record<string, unknown> = {};
  try {
    meta = readArtifactMeta(path);
  } catch {
    meta = {};
  }
  let text = '';
  try {
    text = readFileSync(join(path, 'README.md'), 'utf8');
  } catch {
    text = '';
  }
  const alias = String(meta['alias'] ?? '');
  return { alias, title: String(meta['title'] ?? alias), html: renderMarkdown(text) };
}
