// The MCP server: the tools with their input schemas (strict zod objects: an unknown argument is
// refused with the schema's message), each answering through the real CLI, and the stdio transport.
// When the client goes away (stdin ends, the transport closes, SIGTERM) every run still going is
// killed with its process group, so that none is left holding cache locks.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { childrenRunning, killAllChildren, type CliOptions } from './cli-child.js';
import { describeScript, loadScriptMeta } from './describe-script.js';
import { listCache } from './list-cache.js';
import { describePolicy, type McpPolicy } from './policy.js';
import { registerExperimentTools } from './experiment-tools.js';
import { planScript, progressOf, runScript, type ToolEnv } from './script-tools.js';
import { cliWord } from './cli-word.js';
import { guarded } from './tool-result.js';

const tagsSchema = cliWord('tags').describe(
  'script tags and variations, as for cm run script: "detect,os" or "get python3 _venv"',
);
const inputsSchema = z
  .record(z.unknown())
  .optional()
  .describe('script inputs as cm run script takes them: {"env": {"KEY": "v"}, "version": "3.11"}');

const searchInput = z
  .object({
    query: z.string().min(1).describe('words describing what the script should do'),
    limit: z.number().int().min(1).max(100).optional().describe('how many suggestions (default 5)'),
  })
  .strict();
const describeInput = z
  .object({
    name: cliWord('name').describe('script alias, uid or tags (as cm load script NAME)'),
  })
  .strict();
const scriptInput = z.object({ tags: tagsSchema, inputs: inputsSchema }).strict();
const cacheInput = z
  .object({
    tags: z.string().optional().describe('only entries with all these tags: "get,python3"'),
  })
  .strict();

export interface McpServerOptions {
  policy: McpPolicy;
  env: NodeJS.ProcessEnv;
  cwd: string;
  version: string;
  /** search_scripts (cm suggest). */
  search: (query: string, limit: number, opts: CliOptions) => Promise<CallToolResult>;
}

/** The server with its tools registered (not yet connected). */
export function createMcpServer(o: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: 'cm', version: o.version },
    {
      instructions: `Collective Mind scripts, cache and experiments. ${describePolicy(o.policy)}.`,
    },
  );
  const te: ToolEnv = { env: o.env, cwd: o.cwd, policy: o.policy };
  const cli = (signal: AbortSignal): CliOptions => ({ env: o.env, cwd: o.cwd, signal });
  server.registerTool(
    'search_scripts',
    {
      description:
        'Find scripts for a task described in plain words (the ranking of cm suggest), each with a ready command line.',
      inputSchema: searchInput,
      annotations: { readOnlyHint: true },
    },
    (a, extra) => guarded(() => o.search(a.query, a.limit ?? 5, cli(extra.signal))),
  );
  server.registerTool(
    'describe_script',
    {
      description:
        'A script: variations by group, inputs, deps, versions and what it exports (new env/state keys).',
      inputSchema: describeInput,
      annotations: { readOnlyHint: true },
    },
    (a, extra) => guarded(() => describeScript(a.name, cli(extra.signal))),
  );
  server.registerTool(
    'plan_script',
    {
      description:
        'What cm run script TAGS would do, without running it: the dependency tree with each cache status and reason.',
      inputSchema: scriptInput,
      annotations: { readOnlyHint: true },
    },
    (a, extra) => guarded(() => planScript(a, te, extra.signal)),
  );
  server.registerTool(
    'run_script',
    {
      description: `Run a script as cm run script TAGS (same engine, cache and locks); output streamed as progress. ${describePolicy(o.policy)}.`,
      inputSchema: scriptInput,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    (a, extra) => {
      const progress = progressOf(extra);
      const tagsOf = async (uid: string): Promise<string[]> => {
        const { meta } = await loadScriptMeta(uid, cli(extra.signal));
        return Array.isArray(meta['tags']) ? meta['tags'].map(String) : [];
      };
      return guarded(() => runScript(a, te, extra.signal, progress, tagsOf));
    },
  );
  server.registerTool(
    'list_cache',
    {
      description: 'Cache entries (what earlier runs installed or detected), optionally by tags.',
      inputSchema: cacheInput,
      annotations: { readOnlyHint: true },
    },
    (a, extra) => guarded(() => listCache(a.tags, cli(extra.signal))),
  );
  registerExperimentTools(server, te);
  return server;
}

/** Serves over stdin/stdout until the client goes away; then stops every run still going. */
export async function serveStdio(server: McpServer): Promise<void> {
  const transport = new StdioServerTransport();
  let closing = false;
  const done = new Promise<void>((resolve) => {
    const close = (): void => {
      if (closing) return;
      closing = true;
      killAllChildren();
      void server.close().catch(() => undefined);
      // Give the killed runs a moment to exit (their groups get SIGKILL after the grace).
      const wait = (left: number): void => {
        if (childrenRunning() === 0 || left <= 0) resolve();
        else setTimeout(() => wait(left - 50), 50);
      };
      wait(2000);
    };
    transport.onclose = close;
    process.stdin.once('end', close);
    process.stdin.once('close', close);
    process.once('SIGTERM', close);
    process.once('SIGINT', close);
    process.once('SIGHUP', close);
  });
  await server.connect(transport);
  // connect() sets its own onclose on the transport, chaining to ours: look after stdin as well.
  await done;
}
