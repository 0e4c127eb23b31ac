// Where a JSON text stops being valid, as a line and column, for problems that name the spot a
// hand edit broke. Pure; used by recorded-runs.ts (the one reader of hand-editable results).

export interface JsonErrorLocation {
  /** 0-based offset into the text. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

/**
 * The location of a JSON.parse failure: the `position N` of V8's message when it has one;
 * otherwise (Node 20 often quotes the text instead) the first offset where `text` is not JSON.
 */
export function locateJsonError(text: string, message: string): JsonErrorLocation {
  const m = /position (\d+)/.exec(message);
  const offset = Math.min(m ? Number(m[1]) : (firstJsonError(text) ?? text.length), text.length);
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { offset, line, column: offset - lineStart + 1 };
}

/** V8's reason without the position and the quoted excerpt: "Unexpected token '}'". */
export function jsonErrorReason(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ in JSON at position \d+.*$/, '').replace(/, (\.\.\.)?".*$/s, '');
}

const ESCAPE = /^["\\/bfnrt]$/;
const HEX = /^[0-9a-fA-F]$/;

/**
 * The offset of the first character that makes `text` invalid JSON (text.length when it ends
 * too early), or undefined when it is valid. Iterative, so deep nesting cannot overflow.
 */
export function firstJsonError(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  const stack: Array<'[' | '{'> = [];
  const skipSpace = (): void => {
    while (i < n && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): number | undefined => {
    if (text[i] !== '"') return i;
    for (i++; i < n; i++) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c.charCodeAt(0) < 0x20) return i;
      if (c === '\\') {
        const e = text[i + 1] ?? '';
        if (e !== 'u') {
          if (!ESCAPE.test(e)) return i + 1;
          i++;
          continue;
        }
        for (let k = i + 2; k < i + 6; k++) if (!HEX.test(text[k] ?? '')) return Math.min(k, n);
        i += 5;
      }
    }
    return n;
  };
  const key = (): number | undefined => {
    skipSpace();
    const bad = string();
    if (bad !== undefined) return Math.min(bad, n);
    skipSpace();
    if (text[i] !== ':') return i;
    i++;
    return undefined;
  };
  for (;;) {
    skipSpace();
    if (i >= n) return n;
    const c = text[i]!;
    if (c === '{' || c === '[') {
      i++;
      skipSpace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
      } else {
        stack.push(c);
        const bad = c === '{' ? key() : undefined;
        if (bad !== undefined) return bad;
        continue;
      }
    } else if (c === '"') {
      const bad = string();
      if (bad !== undefined) return bad;
    } else {
      const bad = scalar();
      if (bad !== undefined) return bad;
    }
    // After a value: close finished containers, or go on after a comma.
    for (;;) {
      skipSpace();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? i : undefined;
      if (i >= n) return n;
      if (text[i] === ',') {
        i++;
        if (top === '{') {
          const bad = key();
          if (bad !== undefined) return bad;
        }
        break;
      }
      if (text[i] !== (top === '{' ? '}' : ']')) return i;
      i++;
      stack.pop();
    }
  }

  function scalar(): number | undefined {
    for (const word of ['true', 'false', 'null']) {
      if (text[i] !== word[0]) continue;
      for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) return Math.min(i, n);
      return undefined;
    }
    // A number: -? int frac? exp?, failing where V8 does (at the character lacking a digit).
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) return Math.min(i, n);
    if (text[i] === '.' && (i++, !digits())) return Math.min(i, n);
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!digits()) return Math.min(i, n);
    }
    return undefined;
  }

  function digits(): boolean {
    const start = i;
    while (i < n && text[i]! >= '0' && text[i]! <= '9') i++;
    return i > start;
  }
}
