// The artifact catalog pages' API: scripts by tags or text (GET /api/scripts), one script's
// variations, deps and inputs (GET /api/scripts/:name), and the cache (GET /api/cache).
import type { Hono } from 'hono';
import { statSync } from 'node:fs';
import { CmError } from '../../core/errors.js';
import { readArtifactMeta } from '../../db/artifact.js';
import { folderFiles } from '../../db/folder-files.js';
import { findArtifacts } from '../find-artifacts.js';
import type { AppEnv, AppOptions } from '../app-options.js';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

function metaOf(path: string): Dict {
  try {
    return readArtifactMeta(path);
  } catch {
    return {};
  }
}

/** Files counted in a cache entry's size, at most (a huge entry is cut short). */
const SIZE_FILES = 20_000;

function scriptSummary(e: Dict): Dict {
  const meta = metaOf(String(e['path']));
  const variations = isDict(meta['variations']) ? Object.keys(meta['variations']) : [];
  return {
    alias: e['alias'],
    uid: e['uid'],
    tags: e['tags'],
    repo: e['repo_alias'],
    variations,
    ...(typeof meta['name'] === 'string' ? { description: meta['name'] } : {}),
  };
}

function scriptDetail(e: Dict): Dict {
  const meta = metaOf(String(e['path']));
  const vars = isDict(meta['variations']) ? meta['variations'] : {};
  const defaults = Array.isArray(meta['default_variations']) ? meta['default_variations'] : [];
  const variations = Object.entries(vars).map(([name, v]) => {
    const d = isDict(v) ? v : {};
    return {
      name,
      ...(typeof d['group'] === 'string' ? { group: d['group'] } : {}),
      ...(d['default'] === true || defaults.includes(name) ? { isDefault: true } : {}),
      ...(d['base'] !== undefined ? { base: d['base'] } : {}),
    };
  });
  const deps = (Array.isArray(meta['deps']) ? meta['deps'] : []).filter(isDict).map((d) => {
    const conditions: Dict = {};
    for (const k of ['enable_if_env', 'skip_if_env', 'enable_if_any_env', 'skip_if_any_env'])
      if (d[k] !== undefined) conditions[k] = d[k];
    return {
      tags: d['tags'],
      ...(d['names'] !== undefined ? { names: d['names'] } : {}),
      ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
    };
  });
  return {
    alias: e['alias'],
    uid: e['uid'],
    tags: e['tags'],
    repo: e['repo_alias'],
    path: e['path'],
    variations,
    deps,
    input_mapping: meta['input_mapping'] ?? {},
    input_description: meta['input_description'] ?? {},
    new_env_keys: meta['new_env_keys'] ?? [],
    ...(meta['default_version'] !== undefined ? { default_version: meta['default_version'] } : {}),
    ...(meta['versions'] !== undefined ? { versions: Object.keys(meta['versions'] as Dict) } : {}),
    ...(typeof meta['name'] === 'string' ? { docs: meta['name'] } : {}),
    cache: meta['cache'] === true,
  };
}

export function catalogRoutes(app: Hono<AppEnv>, { cm }: AppOptions): void {
  if (!cm) return;
  app.get('/api/scripts', async (c) => {
    const tags = (c.req.query('tags') ?? '').replace(/\s+/g, ',');
    const q = (c.req.query('q') ?? '').toLowerCase().trim();
    let list = await findArtifacts(cm, 'script', tags || undefined);
    if (q)
      list = list.filter(
        (e) =>
          String(e['alias']).toLowerCase().includes(q) ||
          (e['tags'] as string[]).some((t) => t.toLowerCase().includes(q)),
      );
    list.sort((a, b) => String(a['alias']).localeCompare(String(b['alias'])));
    return c.json({ scripts: list.slice(0, 500).map(scriptSummary), total: list.length });
  });
  app.get('/api/scripts/:name', async (c) => {
    const name = c.req.param('name');
    const all = await findArtifacts(cm, 'script');
    const e = all.find((x) => x['uid'] === name) ?? all.find((x) => x['alias'] === name);
    if (!e) throw new CmError('script-not-found', `no script "${name}"`);
    return c.json(scriptDetail(e));
  });
  app.get('/api/cache', async (c) => {
    const tags = (c.req.query('tags') ?? '').replace(/\s+/g, ',');
    const list = await findArtifacts(cm, 'cache', tags || undefined);
    const metas = list.map((e) => ({ e, meta: metaOf(String(e['path'])) }));
    const entries = metas.map(({ e, meta }) => {
      const path = String(e['path']);
      const st = statSync(path, { throwIfNoEntry: false });
      return {
        uid: e['uid'],
        tags: e['tags'],
        path,
        size: folderFiles(path, SIZE_FILES).reduce((sum, f) => sum + f.size, 0),
        ...(st ? { created: st.mtime.toISOString() } : {}),
        ...(typeof meta['associated_script_artifact'] === 'string'
          ? { script: String(meta['associated_script_artifact']).split(',')[0] }
          : {}),
        usedBy: metas
          .filter((o) => o.meta['dependent_cached_path'] === path)
          .map((o) => String(o.e['uid'])),
      };
    });
    return c.json({ entries, totalSize: entries.reduce((s, x) => s + x.size, 0) });
  });
}
