// Saved explore views of the local playground: one JSON file per view in <CM home>/gui-views,
// written atomically (a crash leaves the old view or the new one, never half of one).
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CmError } from '../../../core/errors.js';
import type { SavedView } from '../../../core/results/types.js';
import { writeFileAtomic } from '../../../db/atomic-file.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;

export function checkViewName(name: string): void {
  if (!NAME.test(name) || name.includes('..'))
    throw new CmError('bad-name', `bad view name "${name}"`, {
      hint: 'use letters, digits, spaces, "_", "-" and "." (at most 100)',
    });
}

export class ViewsFile {
  readonly #dir: string;

  constructor(home: string) {
    this.#dir = join(home, 'gui-views');
  }

  list(): SavedView[] {
    let names: string[];
    try {
      names = readdirSync(this.#dir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    return names
      .map((n) => this.get(n.slice(0, -5)))
      .filter((v): v is SavedView => v !== undefined)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): SavedView | undefined {
    checkViewName(name);
    try {
      return JSON.parse(readFileSync(join(this.#dir, `${name}.json`), 'utf8')) as SavedView;
    } catch {
      return undefined;
    }
  }

  put(view: SavedView): void {
    checkViewName(view.name);
    mkdirSync(this.#dir, { recursive: true });
    writeFileAtomic(join(this.#dir, `${view.name}.json`), JSON.stringify(view, null, 2) + '\n');
  }

  delete(name: string): boolean {
    checkViewName(name);
    const file = join(this.#dir, `${name}.json`);
    const had = this.get(name) !== undefined;
    rmSync(file, { force: true });
    return had;
  }
}
