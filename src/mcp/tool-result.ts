// What every tool answers: a short text summary an agent can quote, the result as JSON text (for
// clients that read only text) and as structuredContent. Failures are CM errors turned into tool
// errors (isError, with the code and hint), never exceptions thrown at the client.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CmError } from '../core/errors.js';
import type { CliOutcome } from './cli-child.js';

export function toolResult(summary: string, data: Record<string, unknown>): CallToolResult {
  return {
    content: [
      { type: 'text', text: summary },
      { type: 'text', text: JSON.stringify(data, null, 2) },
    ],
    structuredContent: data,
  };
}

/** A tool's answer, or its failure as a tool error (never an exception thrown at the client). */
export async function guarded(f: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await f();
  } catch (e) {
    return toolError(e);
  }
}

export function toolError(e: unknown): CallToolResult {
  const data: Record<string, unknown> =
    e instanceof CliFailure
      ? e.result
      : e instanceof CmError
        ? {
            return: e.returnCode,
            code: e.code,
            error: e.message,
            ...(e.hint ? { hint: e.hint } : {}),
          }
        : { return: 1, error: e instanceof Error ? e.message : String(e) };
  const hint = typeof data['hint'] === 'string' ? `\nhint: ${data['hint']}` : '';
  return {
    isError: true,
    content: [
      { type: 'text', text: `${String(data['error'])}${hint}` },
      { type: 'text', text: JSON.stringify(data, null, 2) },
    ],
    structuredContent: data,
  };
}

/** A CLI child's `-j` result, or the CM error it reported (as a CmError-shaped tool error). */
export function cliResult(out: CliOutcome, what: string): Record<string, unknown> {
  const json = out.json;
  if (json && json['return'] === 0) return json;
  if (json && typeof json['error'] === 'string') throw new CliFailure(json);
  const tail = out.stderr.trim().split('\n').slice(-5).join('\n');
  throw new Error(
    `${what} failed (exit ${out.code ?? out.signal}) without a JSON result${tail ? `: ${tail}` : ''}`,
  );
}

/** A CM error the CLI reported in its JSON result: kept as it is (code, error, hint). */
export class CliFailure extends Error {
  constructor(readonly result: Record<string, unknown>) {
    super(String(result['error']));
  }
}
