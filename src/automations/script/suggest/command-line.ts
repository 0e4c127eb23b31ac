// The ready command line of a suggestion: the script's tags that the request named, plus as few
// more (in the script's own order) as make the selection pick this script alone, and the
// variations the request's words name (one per group), as `cmr "get ml-model resnet50 _onnx"`.
import type { ScriptDocument } from './documents.js';
import { wordsOf, type Stem } from './words.js';

export interface CommandLine {
  tags: string[];
  variations: string[];
  command: string;
}

function wordsNamed(name: string, terms: ReadonlySet<string>, stem: Stem): number {
  return wordsOf(name).filter((w) => terms.has(stem(w))).length;
}

/**
 * The variations the request names itself: every word of the variation's name is one of the
 * request's own words (not a synonym, not a near match: "unpack" does not pick
 * `_no-remove-extracted`). In a group, the first such one; wildcards and combinations never.
 */
export function pickVariations(
  doc: ScriptDocument,
  ownStems: ReadonlySet<string>,
  stem: Stem,
): string[] {
  const groups = new Set<string>();
  const picked: string[] = [];
  for (const [name, group] of doc.variations) {
    if (/[#,]/.test(name)) continue;
    const words = wordsOf(name);
    if (words.length === 0 || !words.every((w) => ownStems.has(stem(w)))) continue;
    if (group !== '' && groups.has(group)) continue;
    if (group !== '') groups.add(group);
    picked.push(name);
  }
  return picked.sort();
}

/**
 * Tags of `doc` that select it and no other script of `all` (or all its tags, if none do): its first tag
 * when it is one word (the verb by CM's convention: get, detect, run …), the tags the request
 * named (one-word tags before compound ones, a compound one only for words not yet named), then
 * its other tags in order until the selection is unique. In the script's order.
 */
export function selectingTags(
  doc: ScriptDocument,
  all: readonly ScriptDocument[],
  terms: ReadonlySet<string>,
  stem: Stem,
): string[] {
  const chosen = new Set<string>();
  const covered = new Set<string>();
  const choose = (t: string): void => {
    chosen.add(t);
    for (const w of wordsOf(t)) covered.add(stem(w));
  };
  const first = doc.tags[0];
  if (first !== undefined && wordsOf(first).length === 1) choose(first);
  const named = doc.tags
    .filter((t) => wordsNamed(t, terms, stem) > 0)
    .sort((a, b) => wordsOf(a).length - wordsOf(b).length);
  for (const t of named) if (!wordsOf(t).every((w) => covered.has(stem(w)))) choose(t);
  // Copies of one script in several repos are one choice (cm run prefers the user's own).
  const others = (): boolean =>
    all.some((d) => d.alias !== doc.alias && [...chosen].every((t) => d.tags.includes(t)));
  for (const t of doc.tags) {
    if (chosen.size > 0 && !others()) break;
    choose(t);
  }
  return doc.tags.filter((t) => chosen.has(t));
}

export function commandLine(
  doc: ScriptDocument,
  all: readonly ScriptDocument[],
  match: { terms: ReadonlySet<string>; ownStems: ReadonlySet<string> },
  stem: Stem,
): CommandLine {
  const tags = selectingTags(doc, all, match.terms, stem);
  const variations = pickVariations(doc, match.ownStems, stem);
  const front = doc.format === 'mlc' ? 'mlcr' : 'cmr';
  const words = [...tags, ...variations.map((v) => `_${v}`)];
  return { tags, variations, command: `${front} "${words.join(' ')}"` };
}
