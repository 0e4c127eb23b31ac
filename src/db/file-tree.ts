// Writes a tree of folders and files described by an object ({name: content | subtree}); used by
// the tests of every level to build repos and CM homes in temp folders.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type FileTree = { [name: string]: string | FileTree };

export function writeTree(base: string, tree: FileTree): void {
  for (const [name, value] of Object.entries(tree)) {
    const p = join(base, name);
    if (typeof value === 'string') {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, value);
    } else {
      mkdirSync(p, { recursive: true });
      writeTree(p, value);
    }
  }
}
