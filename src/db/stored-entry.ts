// The entry of an artifact found in the index: a view of its stored record, whose fields are read
// when someone asks for them, so that listing 10,000 artifacts builds little more than one small
// object each (objects that live through a garbage collection are copied, so size counts).
import type { ArtifactEntry } from './artifact-entry.js';
import {
  F_AUTOMATION_ALIAS,
  F_AUTOMATION_UID,
  F_BASE,
  F_TAGS,
  F_UID,
  field,
  isEmptyField,
  recordAlias,
  recordName,
  splitRecord,
} from './index-record.js';
import type { Repo } from './repo.js';

/** An automation folder as one scan of the index saw it (texts and arrays are never changed). */
export interface Folder {
  repo: Repo;
  name: string;
  /** The folder's path and a slash. */
  prefix: string;
  /** Default automation uid of its artifacts. */
  U: string;
  /** Its records and stamps (see IndexedDir). */
  t: string;
  s: Float64Array;
  /** Unreadable metas by artifact folder name. */
  e: Record<string, string>;
}

/** Where a scan of the index stands: one record of a folder. */
export interface RecordAt {
  folder: Folder;
  /** Where the record starts in folder.t. */
  start: number;
  /** Its bounds (splitRecord); undefined where the scan took every record of a folder without
   *  `_base` or automations of their own, as it was, without reading them. */
  b: Int32Array | undefined;
  /** Position of the record in its folder (its stamps are s[at*4 .. at*4+3]). */
  at: number;
  /** Tags with those of its `_base` (",a,b,"), for an artifact that has one. */
  inherited?: string | undefined;
}

export function toEntry({ folder, start, b, at, inherited }: RecordAt): ArtifactEntry {
  const e = new StoredEntry(folder, start, at, inherited);
  if (b !== undefined && !isEmptyField(b, F_BASE)) e.base = field(folder.t, b, F_BASE);
  // Only when the folder has unreadable metas (rare): is this one of them?
  for (const _ in folder.e) {
    const error = folder.e[recordName(folder.t, start)];
    if (typeof error === 'string') e.error = error; // not an inherited name (constructor ...)
    break;
  }
  return e;
}

class StoredEntry implements ArtifactEntry {
  declare base?: string;
  declare error?: string;
  readonly #folder: Folder;
  readonly #start: number;
  readonly #at: number;
  #tagText: string | undefined;
  #tags: string[] | undefined;

  constructor(folder: Folder, start: number, at: number, inherited: string | undefined) {
    this.#folder = folder;
    this.#start = start;
    this.#at = at * 4;
    this.#tagText = inherited;
    this.#tags = undefined;
  }

  #field(f: number, otherwise: string): string {
    const b = splitRecord(this.#folder.t, this.#start);
    return isEmptyField(b, f) ? otherwise : field(this.#folder.t, b, f);
  }

  get repo(): Repo {
    return this.#folder.repo;
  }

  get automationDir(): string {
    return this.#folder.name;
  }

  get path(): string {
    return this.#folder.prefix + recordName(this.#folder.t, this.#start);
  }

  get alias(): string {
    return recordAlias(this.#folder.t, this.#start);
  }

  get uid(): string {
    return this.#field(F_UID, '');
  }

  get automationAlias(): string {
    return this.#field(F_AUTOMATION_ALIAS, this.#folder.name);
  }

  get automationUid(): string {
    return this.#field(F_AUTOMATION_UID, this.#folder.U);
  }

  /** The stamps this command's refresh checked: loading the meta need not stat its files again. */
  get metaStamps(): number[] | undefined {
    const stamps = Array.from(this.#folder.s.subarray(this.#at, this.#at + 4));
    return stamps.every((x) => x === -1 || x >= 0) ? stamps : undefined;
  }

  get tags(): string[] {
    if (this.#tags === undefined) {
      const text = this.#tagText ?? this.#field(F_TAGS, '');
      this.#tags = text.length > 2 ? text.slice(1, -1).split(',') : [];
    }
    return this.#tags;
  }

  set tags(tags: string[]) {
    this.#tags = tags;
  }
}
