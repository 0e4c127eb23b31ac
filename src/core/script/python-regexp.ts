// Regular expressions written for Python's `re` (parse_version's match_text in customize.py) as
// JavaScript RegExps that match the same text. Pure. Only what differs in meaning is rewritten;
// a pattern both read alike comes out unchanged.

/**
 * `(?P<name>…)` and `(?P=name)` become `(?<name>…)` and `\k<name>`; leading inline flags
 * `(?i)`, `(?m)`, `(?s)` become RegExp flags; without MULTILINE, `$` matches before a final
 * newline too (Python's `$`), `\A` and `\Z` only at the text's start and end.
 */
export function pythonRegExp(pattern: string): RegExp {
  let p = pattern;
  let flags = '';
  const inline = /^\(\?([aiLmsux]+)\)/.exec(p);
  if (inline) {
    flags = [...new Set(inline[1]!.replace(/[^ims]/g, ''))].join('');
    p = p.slice(inline[0].length);
  }
  return new RegExp(translate(p, flags.includes('m')), flags);
}

function translate(p: string, multiline: boolean): string {
  let out = '';
  let inClass = false;
  for (let k = 0; k < p.length; k++) {
    const c = p[k]!;
    if (c === '\\') {
      const n = p[k + 1] ?? '';
      k++;
      if (!inClass && n === 'A') out += '(?<![\\s\\S])';
      else if (!inClass && n === 'Z') out += '(?![\\s\\S])';
      else out += c + n;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (p[k + 1] === '^') out += p[++k];
      // A `]` first in a class is a character in Python, the end of an empty class in JS.
      if (p[k + 1] === ']') out += `\\${p[++k]}`;
    } else if (p.startsWith('(?P<', k)) {
      out += '(?<';
      k += 3;
    } else if (p.startsWith('(?P=', k) && p.indexOf(')', k) > 0) {
      const end = p.indexOf(')', k);
      out += `\\k<${p.slice(k + 4, end)}>`;
      k = end;
    } else if (c === '$' && !multiline) out += '(?=\\n?(?![\\s\\S]))';
    else out += c;
  }
  return out;
}
