// `cm mcp [--allow-run[=TAGS]]... [--allow-sudo] [--print-config]`: a Model Context Protocol server
// over stdio (src/mcp). Loaded only for `cm mcp`, and with it the MCP SDK and zod.
import { parseArgs } from 'node:util';
import { CmError } from '../core/errors.js';
import { packageRoot, packageVersion } from '../server/package-root.js';
import { cmBinPath } from '../mcp/cli-child.js';
import { clientConfig } from '../mcp/client-config.js';
import { resolvePolicy } from '../mcp/policy.js';
import { asCommandError, reportCommandError } from './command-error.js';

export interface McpIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

export const MCP_HELP = `cm mcp [--allow-run[=TAGS]]... [--allow-sudo] [--print-config]
  A Model Context Protocol server over stdio, for AI agents (Claude Desktop, Cursor, VS Code...).
  Tools: search_scripts {query, limit} (as cm suggest), describe_script {name},
  plan_script {tags, inputs}, run_script {tags, inputs}, list_cache {tags},
  query_experiments {name, tags, run, derive, filter, pareto, limit} (cm show experiment -j,
  filter = --where), run_experiment {name, tags, command, explore, env, repeat, parallel,
  fail_fast} (cme). Every plan, run and query runs this installation's cm (same engine, cache
  and locks as the command line).
  Read-only by default: run_script and run_experiment are refused unless --allow-run.
  --allow-run          run_script may run any script; run_experiment is allowed
  --allow-run=TAGS     run_script only for scripts having all these tags (comma-separated), e.g.
                       detect,os; repeat the flag to allow several sets: a script needs to match
                       one of them. Checked on the script asked for (its meta's tags); its deps
                       run with it. run_experiment stays refused (its command can be anything)
  --allow-sudo         also scripts whose plan needs sudo (a script tagged sudo in the plan, or a
                       run.sh / run-*.sh of a planned script calling sudo); refused otherwise
  --print-config       print the JSON for an MCP client's config (with these flags) and exit
  -h, --help           this help`;

/** --allow-run without a value means any script: parseArgs wants a value, so give it "". */
function normalise(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '--allow-run' ? '--allow-run=' : a));
}

/** Runs `cm mcp ARGS`; returns the exit status (when the client goes away, for the server). */
export async function mcpCommand(argv: readonly string[], io: McpIo): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: normalise(argv),
      allowPositionals: true,
      options: {
        'allow-run': { type: 'string', multiple: true },
        'allow-sudo': { type: 'boolean' },
        'print-config': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      io.stdout(`${MCP_HELP}\n`);
      return 0;
    }
    if (positionals.length > 0)
      throw new CmError('bad-input', `cm mcp takes no arguments (found "${positionals[0]}")`, {
        hint: 'see cm mcp --help',
      });
    const allowRun = values['allow-run'] ?? [];
    const policy = resolvePolicy(allowRun, values['allow-sudo'] === true);
    if (values['print-config']) {
      const flags = [
        ...allowRun.map((v) => (v === '' ? '--allow-run' : `--allow-run=${v}`)),
        ...(policy.allowSudo ? ['--allow-sudo'] : []),
      ];
      const config = clientConfig(process.execPath, cmBinPath(), flags, io.env['CM_REPOS']);
      io.stdout(`${JSON.stringify(config, null, 2)}\n`);
      return 0;
    }
    const { createMcpServer, serveStdio } = await import('../mcp/server.js');
    const { searchScripts } = await import('../mcp/search-scripts.js');
    const server = createMcpServer({
      policy,
      env: io.env,
      cwd: process.cwd(),
      version: packageVersion(packageRoot()),
      search: searchScripts,
    });
    await serveStdio(server);
    return 0;
  } catch (e) {
    return reportCommandError(asCommandError(e, 'mcp'), io);
  }
}
