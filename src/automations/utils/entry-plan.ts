// Where each entry of an archive goes (EntryPlan), decided for every entry before anything is
// written, for the zip and tar readers alike. The plan reads the disk (links, folders in the way)
// but writes nothing; clearFile is the one step the writers share.
import { lstatSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import { CmError } from '../../core/errors.js';

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink';

/**
 * Decides where each entry goes, refusing what would escape `root` or clash: with the archive's
 * other entries, and with what is already on disk (a symbolic link in the way, a folder where a
 * file goes). Links are followed as the system would, through the archive's earlier links and
 * the links on disk, so that no chain of them leads out.
 */
export class EntryPlan {
  readonly files = new Set<string>();
  readonly dirs = new Set<string>();
  /** Symbolic links of the archive: where they are → their target as written. */
  readonly links = new Map<string, string>();
  readonly root: string;
  constructor(
    readonly archive: string,
    root: string,
    readonly strip: number,
  ) {
    this.root = realPath(root);
  }

  refuse(entry: string, why: string): never {
    throw new CmError('archive-failed', `${this.archive}: entry "${entry}" ${why}`, {
      hint: 'the archive is refused as a whole; nothing was unpacked',
    });
  }

  inside(p: string): boolean {
    const r = relative(this.root, p);
    return !(r === '..' || r.startsWith(`..${sep}`) || isAbsolute(r));
  }

  /** A symbolic link at `p`: the archive's own, else one on disk. */
  linkAt(p: string): string | undefined {
    const own = this.links.get(p);
    if (own !== undefined) return own;
    const st = lstatSync(p, { throwIfNoEntry: false });
    return st?.isSymbolicLink() ? readlinkSync(p) : undefined;
  }

  /**
   * Where `link` (as written, relative to the folder `from` inside root) leads once every link on
   * the way is followed, component by component as the system does (never collapsing "x/.."
   * first); undefined when it leaves root.
   */
  follow(from: string, link: string, entry: string): string | undefined {
    const queue = [...relative(this.root, from).split(sep), ...link.split(/[\\/]+/)].filter(
      (x) => x !== '' && x !== '.',
    );
    let cur = this.root;
    let hops = 0;
    while (queue.length > 0) {
      const c = queue.shift()!;
      if (c === '..') {
        if (cur === this.root) return undefined;
        cur = dirname(cur);
        continue;
      }
      const next = join(cur, c);
      const link = this.linkAt(next);
      if (link === undefined) {
        cur = next;
        continue;
      }
      if (++hops > 40) this.refuse(entry, 'is reached through a loop of symbolic links');
      if (isAbsolute(link)) return undefined;
      queue.unshift(...link.split(/[\\/]+/).filter((x) => x !== '' && x !== '.'));
    }
    return cur;
  }

  /** The output path of `entry`, or undefined when strip_folders drops it entirely. */
  place(entry: string, type: EntryType, link?: string): string | undefined {
    if (isAbsolute(entry) || entry.startsWith('\\') || /^[a-zA-Z]:/.test(entry))
      this.refuse(entry, 'has an absolute path');
    const parts = entry.split(/[\\/]+/).filter((x) => x !== '' && x !== '.');
    if (parts.includes('..'))
      this.refuse(entry, `has ".." and would be written outside ${this.root}`);
    const rel = parts.slice(this.strip).join('/');
    if (rel === '') return undefined;
    const out = normalize(join(this.root, rel)).replace(/[\\/]+$/, '');
    if (!this.inside(out)) this.refuse(entry, `would be written outside ${this.root}`);
    const dir = type === 'dir';
    if ((dir ? this.files : this.dirs).has(out) || (!dir && this.files.has(out)))
      this.refuse(entry, `clashes with another entry at ${out}`);
    const parents: string[] = [];
    for (let d = dirname(out); d.length > this.root.length; d = dirname(d)) parents.unshift(d);
    for (const d of parents) {
      if (this.files.has(d))
        this.refuse(entry, `needs ${d} as a folder, but it is a file or link of the archive`);
      if (this.dirs.has(d)) continue;
      const st = lstatSync(d, { throwIfNoEntry: false });
      if (st?.isSymbolicLink())
        this.refuse(entry, `would be written through the symbolic link ${d} already on disk`);
      if (st && !st.isDirectory())
        this.refuse(entry, `needs ${d} as a folder, but a file is there`);
      this.dirs.add(d);
    }
    const there = lstatSync(out, { throwIfNoEntry: false });
    if (dir && there && !there.isDirectory() && !this.dirs.has(out))
      this.refuse(
        entry,
        `is a folder, but ${out} is already a ${there.isSymbolicLink() ? 'symbolic link' : 'file'} on disk`,
      );
    if (!dir && there?.isDirectory() && !this.files.has(out))
      this.refuse(entry, `would replace the folder ${out} that is already on disk`);
    if (type === 'symlink') {
      if (link === undefined || link === '' || isAbsolute(link))
        this.refuse(entry, `is a symbolic link to an absolute path (${link ?? ''})`);
      const to = this.follow(dirname(out), link, entry);
      if (to === undefined || !this.inside(to))
        this.refuse(entry, `is a symbolic link pointing outside ${this.root} (${link})`);
      this.links.set(out, link);
    }
    (dir ? this.dirs : this.files).add(out);
    return out;
  }

  /** A hard link's target, as placed by an earlier entry. */
  linkTarget(entry: string, link: string): string {
    const parts = link.split(/[\\/]+/).filter((x) => x !== '' && x !== '.');
    if (isAbsolute(link) || parts.includes('..'))
      this.refuse(entry, `is a hard link to ${link}, outside the archive`);
    const target = normalize(join(this.root, parts.slice(this.strip).join('/')));
    if (!this.files.has(target) || this.links.has(target))
      this.refuse(entry, `is a hard link to ${link}, which is not a file of the archive`);
    return target;
  }
}

/** The real path of `p`, which may not exist yet (its nearest existing folder is resolved). */
function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const parent = dirname(p);
    return parent === p ? p : join(realPath(parent), basename(p));
  }
}

/** Remove what is at `p` unless it is a folder, so that writing never follows a link there. */
export function clearFile(p: string): void {
  const st = lstatSync(p, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) rmSync(p, { force: true });
}
