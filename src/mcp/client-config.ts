// `cm mcp --print-config`: the JSON an MCP client (Claude Desktop, Cursor, VS Code...) needs to start
// this installation's server: node and bin/cm.js as absolute paths, the server's own flags, and
// CM_REPOS when one is set (so that the agent sees the same CM home as this shell).
export interface ClientConfig {
  mcpServers: Record<string, { command: string; args: string[]; env?: Record<string, string> }>;
}

export function clientConfig(
  node: string,
  cmBin: string,
  flags: readonly string[],
  cmRepos: string | undefined,
): ClientConfig {
  return {
    mcpServers: {
      cm: {
        command: node,
        args: [cmBin, 'mcp', ...flags],
        ...(cmRepos ? { env: { CM_REPOS: cmRepos } } : {}),
      },
    },
  };
}
