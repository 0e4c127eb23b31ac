// The browser's client of the JSON API (gui.md §5.6): fetch with the session's token, errors as
// ApiError carrying the server's message and hint.
import type {
  ExperimentDetail,
  ExperimentSummary,
  Health,
  QueryRequest,
  QueryResponse,
  ResultDetail,
  SavedView,
} from '../../src/core/results/types.js';
import { hydrateRows } from '../../src/core/results/slim-rows.js';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** A token given once as `?token=` is kept for the tab's session. */
export function token(): string | undefined {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) sessionStorage.setItem('cm-token', fromUrl);
  return sessionStorage.getItem('cm-token') ?? undefined;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const t = token();
  const headers: Record<string, string> = {};
  if (t) headers['authorization'] = `Bearer ${t}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`/api${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok)
    throw new ApiError(
      String(data['error'] ?? res.statusText),
      res.status,
      typeof data['hint'] === 'string' ? data['hint'] : undefined,
    );
  return data as T;
}

/** An EventSource URL with the token (EventSource cannot send headers). */
export function eventsUrl(path: string): string {
  const t = token();
  return `/api${path}${t ? `${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(t)}` : ''}`;
}

export const api = {
  health: () => request<Health>('GET', '/health'),
  experiments: (params: URLSearchParams) =>
    request<{ experiments: ExperimentSummary[] }>('GET', `/experiments?${params}`),
  experiment: (id: string) =>
    request<ExperimentDetail>('GET', `/experiments/${encodeURIComponent(id)}`),
  /** Asks for the compact answer and puts the provenance fields back (slim-rows.ts). */
  query: async (q: QueryRequest) =>
    hydrateRows(await request<QueryResponse>('POST', '/query', { ...q, slim: true })),
  result: (exp: string, dir: string, uid: string) =>
    request<ResultDetail>(
      'GET',
      `/results/${encodeURIComponent(exp)}/${encodeURIComponent(dir)}/${encodeURIComponent(uid)}`,
    ),
  views: () => request<{ views: SavedView[] }>('GET', '/views'),
  view: (name: string) => request<SavedView>('GET', `/views/${encodeURIComponent(name)}`),
  saveView: (v: SavedView) =>
    request<{ ok: true }>('PUT', `/views/${encodeURIComponent(v.name)}`, v),
  deleteView: (name: string) =>
    request<{ ok: true }>('DELETE', `/views/${encodeURIComponent(name)}`),
  unlock: (password: string) => request<{ unlocked: number }>('POST', '/unlock', { password }),
  replay: (exp: string, dir: string, uid: string) =>
    request<{ job: string }>('POST', '/replay', { exp, dir, uid }),
  /** A step file of a result, as text (`path` relative to the step folder). */
  file: (id: string, path: string) =>
    requestText(`/files/${idPath(id)}/${path.split('/').map(encodeURIComponent).join('/')}`),
  scripts: (params: URLSearchParams) =>
    request<{ scripts: ScriptSummary[] }>('GET', `/scripts?${params}`),
  script: (name: string) => request<ScriptDetail>('GET', `/scripts/${encodeURIComponent(name)}`),
  cache: (params: URLSearchParams) => request<CacheListing>('GET', `/cache?${params}`),
};

/** A result's `_id` (`<exp uid>/<run dir>/<uid>`) as escaped path segments. */
export function idPath(id: string): string {
  return id.split('/').map(encodeURIComponent).join('/');
}

/** GET a text answer (the files API); errors as for `request`. */
export async function requestText(path: string): Promise<string> {
  const t = token();
  const res = await fetch(`/api${path}`, {
    headers: t ? { authorization: `Bearer ${t}` } : {},
    credentials: 'same-origin',
  });
  const text = await res.text();
  if (!res.ok) {
    let message = res.statusText;
    try {
      const data = JSON.parse(text) as { error?: unknown };
      if (data.error !== undefined) message = String(data.error);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
    }
    throw new ApiError(message, res.status);
  }
  return text;
}

/** One script of the catalog (GET /api/scripts). */
export interface ScriptSummary {
  alias: string;
  uid: string;
  tags: string[];
  repo: string;
  variations: string[];
  description?: string;
}

export interface ScriptVariation {
  name: string;
  group?: string;
  isDefault?: boolean;
  base?: string[] | string;
}

export interface ScriptDep {
  tags: string;
  names?: string[];
  conditions?: Record<string, unknown>;
}

/** A script's meta as the catalog shows it (GET /api/scripts/:name). */
export interface ScriptDetail {
  alias: string;
  uid: string;
  tags: string[];
  repo: string;
  path: string;
  variations: ScriptVariation[];
  deps: ScriptDep[];
  input_mapping: Record<string, string>;
  new_env_keys: string[];
  default_version?: string;
  /** Names of the versions the meta describes (`versions:`). */
  versions?: string[];
  docs?: string;
}

export interface CacheEntry {
  uid: string;
  tags: string[];
  path: string;
  size: number;
  created?: string;
  script?: string;
  usedBy: string[];
}

export interface CacheListing {
  entries: CacheEntry[];
  totalSize: number;
}
