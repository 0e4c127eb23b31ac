// The ImageNet label list (`val_map.txt`, the aux set's `val.txt`): one `<image file> <label>` per
// line, line i being QSL index i. Reads and checks it, and checks that its images are on disk; it
// does not read the images themselves.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { CmError } from '../../core/errors.js';

/** One line of the list: an image file (relative to the image folder) and its class, 0–999. */
export interface ValMapEntry {
  file: string;
  label: number;
}

/** The number of ImageNet classes: labels are 0 to CLASSES - 1. */
export const IMAGENET_CLASSES = 1000;

function badLine(source: string, line: number, text: string, why: string): CmError {
  return new CmError('bad-input', `${source}:${line}: ${why}: "${text}"`, {
    hint: 'each line is "<image file> <label>", e.g. "ILSVRC2012_val_00000001.JPEG 65", label 0-999',
    details: { file: source, line },
  });
}

/**
 * The entries of a list's text, in order; blank lines are skipped. Fields are split on white space
 * as the reference harness does (`re.split(r"\s+", line.strip())`). `source` names the file in
 * errors, which give its line number and the offending text.
 */
export function parseValMap(text: string, source: string): ValMapEntry[] {
  const entries: ValMapEntry[] = [];
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n]!.replace(/\r$/, '');
    const line = raw.trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    if (fields.length !== 2)
      throw badLine(source, n + 1, raw, 'expected an image file and a label');
    const [file, labelText] = fields as [string, string];
    if (!/^\d+$/.test(labelText) || Number(labelText) >= IMAGENET_CLASSES)
      throw badLine(source, n + 1, raw, `the label "${labelText}" is not a whole number 0-999`);
    if (isAbsolute(file) || file.split(/[\\/]/).includes('..'))
      throw badLine(source, n + 1, raw, 'the image must be a path inside the image folder');
    entries.push({ file, label: Number(labelText) });
  }
  return entries;
}

/** Reads and parses a list file; a missing or unreadable file is a CmError naming it. */
export async function readValMap(path: string): Promise<ValMapEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT')
      throw new CmError('file-not-found', `the image list ${path} does not exist`, {
        hint: 'the image folder needs a val_map.txt with lines "<image file> <label>"',
      });
    throw new CmError('bad-input', `cannot read the image list ${path}: ${err.message}`);
  }
  return parseValMap(text, path);
}

/** The files in a folder (links to files included), or none when it cannot be listed. */
async function filesIn(dir: string): Promise<Set<string>> {
  const files = new Set<string>();
  let list;
  try {
    list = await readdir(dir, { withFileTypes: true });
  } catch {
    return files;
  }
  for (const e of list) {
    if (e.isFile()) files.add(e.name);
    else if (e.isSymbolicLink() && (await isFile(join(dir, e.name)))) files.add(e.name);
  }
  return files;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Throws a CmError when an image of `entries` is not a file in `imageDir`: it names the first
 * missing one by its full path and says how many are missing; `listName` names the list they come
 * from. Each folder is listed once: 50,000 entries cost a few directory reads, not 50,000 stats.
 */
export async function checkValMapImages(
  entries: readonly ValMapEntry[],
  imageDir: string,
  listName = join(imageDir, 'val_map.txt'),
): Promise<void> {
  const listed = new Map<string, Set<string>>();
  const missing: string[] = [];
  for (const { file } of entries) {
    const path = join(imageDir, file);
    const dir = dirname(path);
    let files = listed.get(dir);
    if (!files) listed.set(dir, (files = await filesIn(dir)));
    if (!files.has(basename(path))) missing.push(path);
  }
  if (missing.length === 0) return;
  const more = missing.length > 1 ? ` (and ${missing.length - 1} more of ${entries.length})` : '';
  throw new CmError(
    'file-not-found',
    `the image ${missing[0]} listed in ${listName} does not exist${more}`,
    {
      hint: `check that ${imageDir} holds the images that ${listName} lists`,
      details: { missing: missing.length, first: missing[0] },
    },
  );
}
