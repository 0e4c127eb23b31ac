// A run's cm-result.json: a JSON array with one flat object per step. Every append rewrites the
// whole file atomically (temp file + rename) under a lock, so the file is valid JSON at every
// instant and concurrent writers (parallel steps, a rerun in another process) never lose a result.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../core/errors.js';
import { writeFileAtomic } from '../../db/atomic-file.js';
import { withLock } from '../../db/lock.js';
import { locateJsonError } from './json-error-location.js';
import { RESULTS_FILE } from './run-folder.js';

type Row = Record<string, unknown>;

/** How long a result may wait to be written with the next ones. */
const FLUSH_MS = 50;

/** Where a JSON parse failed, as " at line L, column C" of `text`. */
export function jsonErrorPlace(text: string, e: unknown): string {
  const { line, column } = locateJsonError(text, e instanceof Error ? e.message : String(e));
  return ` at line ${line}, column ${column}`;
}

/** The results recorded in `file` (an array), or a clear error naming the file and line. */
export function readResults(file: string): Row[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CmError('bad-input', `${file}: not valid JSON${jsonErrorPlace(text, e)}`, {
      hint: 'fix the file by hand (it holds a JSON array of results), or record into another run folder',
    });
  }
  if (
    !Array.isArray(parsed) ||
    parsed.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))
  )
    throw new CmError('bad-input', `${file}: must be a JSON array of objects`);
  return parsed as Row[];
}

/** One result as it stands in the array (JSON.stringify(array, null, 2) lays items out so). */
function itemText(row: Row): string {
  return JSON.stringify(row, null, 2).replace(/\n/g, '\n  ');
}

export class ResultsFile {
  readonly path: string;
  #items: string[] = [];
  #rows: Row[] = [];
  /** size:mtime of the file as this process last wrote or read it. */
  #stamp = '';
  #pending: Row[] = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(runDir: string) {
    this.path = join(runDir, RESULTS_FILE);
    this.#reload();
  }

  /** The results recorded so far (including other writers'), and those about to be. */
  rows(): readonly Row[] {
    this.#syncIfChanged();
    return this.#pending.length === 0 ? this.#rows : [...this.#rows, ...this.#pending];
  }

  /**
   * Add a result soon: results that come within FLUSH_MS of each other are written together (a
   * sweep of fast steps would otherwise rewrite the file once per step). The file stays valid at
   * every instant; after a kill, the steps whose results were not yet written run again on --resume.
   */
  appendSoon(row: Row): void {
    this.#pending.push(row);
    this.#timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  /** Write the results appendSoon holds. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const rows = this.#pending;
    this.#pending = [];
    this.append(...rows);
  }

  /** Add results at the end, atomically. */
  append(...rows: Row[]): void {
    withLock(`${this.path}.lock`, () => {
      this.#syncIfChanged();
      for (const r of rows) {
        this.#rows.push(r);
        this.#items.push(itemText(r));
      }
      this.#write();
    });
  }

  /** Create the file (an empty array) when missing: the run folder then counts as recorded. */
  ensure(): void {
    withLock(`${this.path}.lock`, () => {
      this.#syncIfChanged();
      if (this.#stamp === '') this.#write();
    });
  }

  #write(): void {
    const text = this.#items.length === 0 ? '[]\n' : `[\n  ${this.#items.join(',\n  ')}\n]\n`;
    writeFileAtomic(this.path, text);
    this.#stamp = stampOf(this.path);
  }

  #syncIfChanged(): void {
    if (stampOf(this.path) !== this.#stamp) this.#reload();
  }

  #reload(): void {
    this.#stamp = stampOf(this.path);
    this.#rows = readResults(this.path);
    this.#items = this.#rows.map(itemText);
  }
}

function stampOf(path: string): string {
  try {
    const s = statSync(path);
    return `${s.size}:${s.mtimeMs}:${s.ino}`;
  } catch {
    return '';
  }
}
