// `{{NAME}}` placeholders in a step command (experiment.md §2.6): replaced in one left-to-right
// scan (a substituted value is never scanned again), listed for checking before any step runs.
import { didYouMean } from '../did-you-mean.js';
import { CmError } from '../errors.js';

interface Placeholder {
  /** Offset of the `{{`. */
  readonly open: number;
  /** Offset after the `}}`. */
  readonly end: number;
  readonly name: string;
}

/** Every `{{NAME}}` in order; an unterminated `{{` is an error with its column. */
function placeholders(template: string): Placeholder[] {
  const out: Placeholder[] = [];
  let pos = 0;
  for (;;) {
    const open = template.indexOf('{{', pos);
    if (open < 0) return out;
    const close = template.indexOf('}}', open + 2);
    if (close < 0) {
      throw new CmError('bad-input', `unterminated "{{" at column ${open + 1} of the command`, {
        hint: 'close it as {{NAME}}',
        details: { command: template, column: open + 1 },
      });
    }
    out.push({ open, end: close + 2, name: template.slice(open + 2, close) });
    pos = close + 2;
  }
}

/** The names `template` refers to, each once, in order of first use. */
export function varsIn(template: string): string[] {
  return [...new Set(placeholders(template).map((p) => p.name))];
}

function unknownName(name: string, known: readonly string[] | undefined): CmError {
  const list =
    known && known.length > 0
      ? `known: ${known.slice(0, 30).join(', ')}${known.length > 30 ? ', …' : ''}`
      : undefined;
  const near = known ? didYouMean(name, known) : undefined;
  const hint = [near, list ?? 'set it with --env.NAME=… or explore it'].filter(Boolean).join('; ');
  return new CmError('bad-input', `key "${name}" is not in env during exploration`, { hint });
}

/**
 * `template` with each `{{NAME}}` replaced by `lookup(NAME)`, textually (values are not quoted).
 * An unknown NAME is an error; `known`, when given, feeds its did-you-mean hint.
 */
export function substituteVars(
  template: string,
  lookup: (name: string) => string | undefined,
  known?: readonly string[],
): string {
  let out = '';
  let pos = 0;
  for (const p of placeholders(template)) {
    const value = lookup(p.name);
    if (value === undefined) throw unknownName(p.name, known);
    out += template.slice(pos, p.open) + value;
    pos = p.end;
  }
  return out + template.slice(pos);
}
