// list_cache: `cm show cache --tags=TAGS -j` as a child process (the cache entries, with their tags
// and versions), summarised one line per entry.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runCli, type CliOptions } from './cli-child.js';
import { cliResult, toolResult } from './tool-result.js';

export async function listCache(
  tags: string | undefined,
  opts: CliOptions,
): Promise<CallToolResult> {
  const args = ['show', 'cache', ...(tags ? [`--tags=${tags}`] : []), '-j'];
  const result = cliResult(await runCli(args, opts), `cm show cache`);
  const list = Array.isArray(result['list']) ? (result['list'] as Record<string, unknown>[]) : [];
  const entries = list.map((e) => ({
    uid: e['uid'],
    path: e['path'],
    tags: Array.isArray(e['tags']) ? e['tags'] : [],
    version: e['version'] ?? '',
  }));
  const summary = [
    `${entries.length} cache entr${entries.length === 1 ? 'y' : 'ies'}${tags ? ` tagged ${tags}` : ''}.`,
    ...entries.map(
      (e) =>
        `${String(e.uid)}: ${(e.tags as string[]).join(',')}${e.version ? ` (version ${String(e.version)})` : ''}`,
    ),
  ].join('\n');
  return toolResult(summary, { tags: tags ?? '', entries });
}
