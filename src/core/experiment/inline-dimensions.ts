// Inline exploration declarations in a command, `{{VAR{EXPR}}}` (experiment.md §2.5): found by
// the reference algorithm, rewritten to `{{VAR}}`. One left-to-right pass, so it always ends;
// a malformed declaration is an error with its column. Evaluating EXPR is explore.ts's job.
import { CmError } from '../errors.js';
import { mergeDimensions } from './explore.js';

/** What a dimension (and so an env variable) may be named. */
export const DIMENSION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function malformed(command: string, pos: number, message: string): CmError {
  return new CmError(
    'bad-input',
    `inline exploration at column ${pos + 1} of the command: ${message}`,
    {
      hint: 'declare a dimension inline as {{NAME{EXPR}}}, e.g. {{BS{[1,2,4]}}}, then use {{NAME}}',
      details: { command, column: pos + 1 },
    },
  );
}

/**
 * The command with every `{{NAME{EXPR}}}` rewritten to `{{NAME}}`, and the declared dimensions
 * in order (a name declared twice keeps its first place and takes the later expression). For
 * each next `}}}`: the nearest `{{` before it opens the declaration, the name runs to the first
 * `{` after it, the expression to the `}}}`. The search goes on after each rewrite, never back.
 */
export function extractInlineDimensions(command: string): {
  command: string;
  dims: Array<[string, string]>;
} {
  const found: Array<[string, string]> = [];
  let out = '';
  let cursor = 0;
  for (;;) {
    const close = command.indexOf('}}}', cursor);
    if (close < 0) break;
    const open = command.lastIndexOf('{{', close - 2);
    if (open < cursor) {
      throw malformed(command, close, '"}}}" closes no "{{NAME{"');
    }
    const brace = command.indexOf('{', open + 2);
    if (brace < 0 || brace >= close) {
      // `{{{EXPR}}}`: the nearest `{{` is the inner one; the writer left the name out.
      if (open > cursor && command[open - 1] === '{') {
        throw malformed(command, open - 1, 'the name is empty');
      }
      throw malformed(command, open, `no "{" between the name and "}}}"`);
    }
    const name = command.slice(open + 2, brace);
    if (!DIMENSION_NAME.test(name)) {
      throw malformed(
        command,
        open + 2,
        `name ${JSON.stringify(name)} may hold only letters, digits and _ (not first)`,
      );
    }
    const expr = command.slice(brace + 1, close);
    if (expr.trim() === '') throw malformed(command, brace, `the expression of ${name} is empty`);
    found.push([name, expr]);
    out += `${command.slice(cursor, brace)}}}`;
    cursor = close + 3;
  }
  out += command.slice(cursor);
  return { command: out, dims: mergeDimensions<string>([], found) };
}
