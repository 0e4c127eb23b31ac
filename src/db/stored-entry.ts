// The entry of an artifact found in the index: made from its stored record, whose fields are read
// when someone asks for them, so that listing 10,000 artifacts builds little more than paths.
import type { ArtifactEntry } from './artifact-entry.js';
import {
  F_ALIAS,
  F_AUTOMATION_ALIAS,
  F_AUTOMATION_UID,
  F_BASE,
  F_NAME,
  F_TAGS,
  F_UID,
  field,
  isEmptyField,
  splitRecord,
  type IndexedDir,
} from './index-record.js';
import type { Repo } from './repo.js';

/** Where a scan of the index stands: one stored record and its folder. */
export interface RecordAt {
  repo: Repo;
  dirName: string;
  /** The automation folder's path and a slash. */
  prefix: string;
  dir: IndexedDir;
  r: string;
  b: Int32Array;
  /** Tags with those of its `_base` (",a,b,"), for an artifact that has one. */
  inherited?: string | undefined;
  /** Position of the record in its folder (its stamps are s[at*4 .. at*4+3]). */
  at: number;
}

export function toEntry(at: RecordAt): ArtifactEntry {
  const e = new StoredEntry(at);
  if (!isEmptyField(at.b, F_BASE)) e.base = field(at.r, at.b, F_BASE);
  // Only when the folder has unreadable metas (rare): is this one of them?
  for (const _ in at.dir.e) {
    const error = at.dir.e[field(at.r, at.b, F_NAME)];
    if (typeof error === 'string') e.error = error; // not an inherited name (constructor ...)
    break;
  }
  return e;
}

class StoredEntry implements ArtifactEntry {
  readonly repo: Repo;
  readonly automationDir: string;
  declare base?: string;
  declare error?: string;
  readonly #record: string;
  readonly #prefix: string;
  readonly #dirUid: string;
  /** The stamps this command's refresh checked (a folder's array is replaced, never changed). */
  readonly #stamps: Float64Array;
  readonly #at: number;
  #tagText: string | undefined;
  #tags: string[] | undefined;
  #path: string | undefined;

  constructor({ repo, dirName, prefix, dir, r, inherited, at }: RecordAt) {
    this.repo = repo;
    this.automationDir = dirName;
    this.#record = r;
    this.#prefix = prefix;
    this.#dirUid = dir.U;
    this.#stamps = dir.s;
    this.#at = at * 4;
    this.#tagText = inherited;
    this.#tags = undefined;
    this.#path = undefined;
  }

  #field(f: number, otherwise: string): string {
    const b = splitRecord(this.#record);
    return isEmptyField(b, f) ? otherwise : field(this.#record, b, f);
  }

  get path(): string {
    this.#path ??= this.#prefix + this.#field(F_NAME, '');
    return this.#path;
  }

  get alias(): string {
    const b = splitRecord(this.#record);
    return field(this.#record, b, isEmptyField(b, F_ALIAS) ? F_NAME : F_ALIAS);
  }

  get uid(): string {
    return this.#field(F_UID, '');
  }

  get automationAlias(): string {
    return this.#field(F_AUTOMATION_ALIAS, this.automationDir);
  }

  get automationUid(): string {
    return this.#field(F_AUTOMATION_UID, this.#dirUid);
  }

  /** Loading the meta need not stat its files again. */
  get metaStamps(): number[] | undefined {
    const stamps = Array.from(this.#stamps.subarray(this.#at, this.#at + 4));
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
