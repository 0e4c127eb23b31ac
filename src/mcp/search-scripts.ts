// search_scripts: `cm suggest QUERY -j --limit=N` as a child process (the same ranking as the
// command line), each suggestion summarised with its ready command line.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { runCli, type CliOptions } from './cli-child.js';
import { cliResult, toolResult } from './tool-result.js';

export async function searchScripts(
  query: string,
  limit: number,
  opts: CliOptions,
): Promise<CallToolResult> {
  // After "--" the words stay words, even one starting with "-".
  const out = await runCli(['suggest', '-j', `--limit=${limit}`, '--', query], opts);
  const { return: _ok, ...result } = cliResult(out, `cm suggest "${query}"`);
  const list = Array.isArray(result['suggestions'])
    ? (result['suggestions'] as Record<string, unknown>[])
    : [];
  const similar = Array.isArray(result['similarTags']) ? (result['similarTags'] as string[]) : [];
  const summary =
    list.length === 0
      ? `Nothing close to "${query}"${similar.length ? `; the nearest tags: ${similar.join(', ')}` : ''}.`
      : [
          `${list.length} script(s) for "${query}", best first:`,
          ...list.map(
            (s, i) =>
              `${i + 1}. ${String(s['alias'])} (score ${String(s['score'])}): ${String(s['command'])}`,
          ),
        ].join('\n');
  return toolResult(summary, result);
}
