// The regular expressions of matches(): a subset of JS syntax compiled to a program run by a
// Pike VM, so a test takes time linear in subject × pattern size whatever the pattern (no ReDoS,
// no backtracking). Knows nothing of the rest of the language.
import { ExprFault } from './expr-error.js';

/** Longest pattern accepted, in UTF-16 code units. */
export const MAX_PATTERN_LENGTH = 256;
/** Most VM instructions one pattern may compile to (counted repeats are unrolled). */
export const MAX_PROGRAM_SIZE = 2000;
/** Longest subject tested, in UTF-16 code units; a longer one is an error, not a silent cut. */
export const MAX_SUBJECT_LENGTH = 10_000;

type CharTest = (c: string) => boolean;

type Piece =
  | { t: 'char'; test: CharTest }
  | { t: 'seq'; items: Piece[] }
  | { t: 'alt'; options: Piece[] }
  | { t: 'repeat'; item: Piece; min: number; max: number }
  | { t: 'assert'; kind: Assertion };

type Assertion = 'start' | 'end' | 'word' | 'not-word';

type Inst =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; kind: Assertion }
  | { op: 'match' };

/** A compiled pattern; test it with `testRegex`. */
export interface SafeRegex {
  readonly source: string;
  readonly ignoreCase: boolean;
  readonly program: readonly Inst[];
}

const isWordChar: CharTest = (c) => /^[A-Za-z0-9_]$/.test(c);
const isDigit: CharTest = (c) => c >= '0' && c <= '9';
const isSpace: CharTest = (c) => /^\s$/u.test(c);
const isLineEnd: CharTest = (c) => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

const CLASS_ESCAPES: Readonly<Record<string, CharTest>> = {
  d: isDigit,
  D: (c) => !isDigit(c),
  w: isWordChar,
  W: (c) => !isWordChar(c),
  s: isSpace,
  S: (c) => !isSpace(c),
};
const CONTROL_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  f: '\f',
  v: '\v',
  '0': '\0',
};

function unsupported(what: string, at: number): never {
  throw new ExprFault(
    `unsupported regex syntax ${JSON.stringify(what)} (pattern position ${at + 1})`,
    {
      hint: 'matches() takes literals, . [] \\d \\w \\s \\b ^ $ ( ) (?: ) | * + ? {n,m}; no lookaround or backreferences',
    },
  );
}

/** Recursive descent over the pattern text; `i` is the read offset. */
class PatternParser {
  i = 0;
  readonly src: string;

  constructor(src: string) {
    this.src = src;
  }

  parse(): Piece {
    const p = this.alternation();
    if (this.i < this.src.length) unsupported(this.src[this.i]!, this.i);
    return p;
  }

  alternation(): Piece {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  }

  sequence(): Piece {
    const items: Piece[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const at = this.i;
      const atom = this.atom();
      items.push(this.quantified(atom, at));
    }
    return { t: 'seq', items };
  }

  quantified(atom: Piece, at: number): Piece {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      [min, max] = c === '*' ? [0, Infinity] : c === '+' ? [1, Infinity] : [0, 1];
    } else {
      const m = c === '{' ? /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.src.slice(this.i)) : null;
      if (!m) return atom;
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) unsupported(m[0], at);
    }
    if (this.src[this.i] === '?') this.i++; // lazy: the same for a yes/no test
    if (atom.t === 'assert') unsupported('quantified anchor', at);
    return { t: 'repeat', item: atom, min, max };
  }

  atom(): Piece {
    const at = this.i;
    const c = this.src[this.i++]!;
    switch (c) {
      case '(': {
        if (this.src[this.i] === '?') {
          if (this.src[this.i + 1] !== ':') unsupported(this.src.slice(at, at + 3), at);
          this.i += 2;
        }
        const inner = this.alternation();
        if (this.src[this.i] !== ')') unsupported('(', at);
        this.i++;
        return inner;
      }
      case '[':
        return this.charClass(at);
      case '.':
        return { t: 'char', test: (ch) => !isLineEnd(ch) };
      case '^':
        return { t: 'assert', kind: 'start' };
      case '$':
        return { t: 'assert', kind: 'end' };
      case '*':
      case '+':
      case '?':
        throw new ExprFault(`nothing to repeat before "${c}" (pattern position ${at + 1})`);
      case '\\':
        return this.escape(at);
      default:
        return { t: 'char', test: literal(c) };
    }
  }

  /** After a backslash outside a class. */
  escape(at: number): Piece {
    const e = this.src[this.i++];
    if (e === undefined) unsupported('\\', at);
    if (e === 'b' || e === 'B') return { t: 'assert', kind: e === 'b' ? 'word' : 'not-word' };
    return { t: 'char', test: this.escapedTest(e, at) };
  }

  /** The character test of an escape `\e` (the backslash at `at`), inside or outside a class. */
  escapedTest(e: string, at: number): CharTest {
    const cls = CLASS_ESCAPES[e];
    if (cls) return cls;
    const ctl = CONTROL_ESCAPES[e];
    if (ctl !== undefined) return literal(ctl);
    const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))/.exec(this.src.slice(this.i - 1));
    if (hex) {
      this.i += hex[0].length - 1;
      return literal(String.fromCharCode(parseInt(hex[1] ?? hex[2]!, 16)));
    }
    if (/[A-Za-z0-9]/.test(e)) unsupported(`\\${e}`, at);
    return literal(e);
  }

  charClass(at: number): Piece {
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    const tests: CharTest[] = [];
    while (this.src[this.i] !== ']') {
      if (this.i >= this.src.length) unsupported('[', at);
      const [test, single] = this.classAtom();
      if (single !== undefined && this.src[this.i] === '-' && this.src[this.i + 1] !== ']') {
        this.i++;
        const [, hi] = this.classAtom();
        if (hi === undefined || hi < single) unsupported(`${single}-`, this.i);
        tests.push((ch) => ch >= single && ch <= hi);
      } else {
        tests.push(test);
      }
    }
    this.i++;
    const inClass: CharTest = (ch) => tests.some((t) => t(ch));
    return { t: 'char', test: negated ? (ch) => !inClass(ch) : inClass };
  }

  /** One member of a class: its test, and the character itself when it is a single one. */
  classAtom(): [CharTest, string | undefined] {
    const at = this.i;
    const c = this.src[this.i++]!;
    if (c !== '\\') return [literal(c), c];
    const e = this.src[this.i++];
    if (e === undefined) unsupported('\\', at);
    if (e === 'b') return [literal('\b'), '\b'];
    const test = this.escapedTest(e, at);
    const single = CLASS_ESCAPES[e] ? undefined : this.singleOf(e, at);
    return [test, single];
  }

  singleOf(e: string, at: number): string {
    const ctl = CONTROL_ESCAPES[e];
    if (ctl !== undefined) return ctl;
    if (e === 'x' || e === 'u') {
      const digits = this.src.slice(at + 2, this.i);
      return String.fromCharCode(parseInt(digits, 16));
    }
    return e;
  }
}

function literal(c: string): CharTest {
  return (ch) => ch === c;
}

/** Appends the instructions of `p` to `prog`; throws when the program grows past the cap. */
function emit(p: Piece, prog: Inst[]): void {
  if (prog.length > MAX_PROGRAM_SIZE) {
    throw new ExprFault(
      `regex too large (over ${MAX_PROGRAM_SIZE} steps once repeats are unrolled)`,
      {
        hint: 'use smaller {n,m} counts',
      },
    );
  }
  switch (p.t) {
    case 'char':
      prog.push({ op: 'char', test: p.test });
      return;
    case 'assert':
      prog.push({ op: 'assert', kind: p.kind });
      return;
    case 'seq':
      for (const item of p.items) emit(item, prog);
      return;
    case 'alt': {
      const jumps: Array<{ op: 'jmp'; x: number }> = [];
      p.options.forEach((option, k) => {
        const last = k === p.options.length - 1;
        const split = { op: 'split' as const, x: prog.length + 1, y: 0 };
        if (!last) prog.push(split);
        emit(option, prog);
        if (!last) {
          const jmp = { op: 'jmp' as const, x: 0 };
          prog.push(jmp);
          jumps.push(jmp);
          split.y = prog.length;
        }
      });
      for (const j of jumps) j.x = prog.length;
      return;
    }
    case 'repeat':
      emitRepeat(p.item, p.min, p.max, prog);
      return;
    default: {
      const never: never = p;
      throw new Error(`unhandled regex piece ${String(never)}`);
    }
  }
}

function emitRepeat(item: Piece, min: number, max: number, prog: Inst[]): void {
  for (let k = 0; k < min; k++) emit(item, prog);
  if (max === Infinity) {
    const split = { op: 'split' as const, x: prog.length + 1, y: 0 };
    const loop = prog.length;
    prog.push(split);
    emit(item, prog);
    prog.push({ op: 'jmp', x: loop });
    split.y = prog.length;
    return;
  }
  const splits: Array<{ op: 'split'; x: number; y: number }> = [];
  for (let k = min; k < max; k++) {
    const split = { op: 'split' as const, x: prog.length + 1, y: 0 };
    prog.push(split);
    splits.push(split);
    emit(item, prog);
  }
  for (const s of splits) s.y = prog.length;
}

/** Compiles `source`; flags may be "" or "i". Throws ExprFault (without a position). */
export function compileRegex(source: string, flags = ''): SafeRegex {
  if (source.length > MAX_PATTERN_LENGTH) {
    throw new ExprFault(`regex longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  if (flags !== '' && flags !== 'i') {
    throw new ExprFault(`unknown regex flags ${JSON.stringify(flags)}`, {
      hint: 'the only flag is "i"',
    });
  }
  const program: Inst[] = [];
  emit(new PatternParser(source).parse(), program);
  program.push({ op: 'match' });
  return { source, ignoreCase: flags === 'i', program };
}

function assertionHolds(kind: Assertion, chars: readonly string[], at: number): boolean {
  switch (kind) {
    case 'start':
      return at === 0;
    case 'end':
      return at === chars.length;
    case 'word':
    case 'not-word': {
      const boundary = isWordChar(chars[at - 1] ?? '') !== isWordChar(chars[at] ?? '');
      return kind === 'word' ? boundary : !boundary;
    }
    default: {
      const never: never = kind;
      throw new Error(`unhandled assertion ${String(never)}`);
    }
  }
}

/**
 * Adds thread `pc` at offset `at` and every thread reachable from it without reading a
 * character; true as soon as one reaches `match`. `seen[pc] === at` marks threads already added.
 */
function addThread(
  re: SafeRegex,
  list: number[],
  seen: Int32Array,
  start: number,
  chars: readonly string[],
  at: number,
): boolean {
  const stack = [start];
  while (stack.length > 0) {
    const pc = stack.pop()!;
    if (seen[pc] === at) continue;
    seen[pc] = at;
    const inst = re.program[pc]!;
    if (inst.op === 'match') return true;
    if (inst.op === 'jmp') stack.push(inst.x);
    else if (inst.op === 'split') stack.push(inst.y, inst.x);
    else if (inst.op === 'assert') {
      if (assertionHolds(inst.kind, chars, at)) stack.push(pc + 1);
    } else list.push(pc);
  }
  return false;
}

/** Whether `re` matches anywhere in `subject`. Throws ExprFault when the subject is over the cap. */
export function testRegex(re: SafeRegex, subject: string): boolean {
  if (subject.length > MAX_SUBJECT_LENGTH) {
    throw new ExprFault(`matches() subject longer than ${MAX_SUBJECT_LENGTH} characters`);
  }
  const chars = Array.from(subject);
  const charTest = (test: CharTest, c: string): boolean =>
    test(c) || (re.ignoreCase && (test(c.toLowerCase()) || test(c.toUpperCase())));
  const seen = new Int32Array(re.program.length).fill(-1);
  let current: number[] = [];
  for (let at = 0; ; at++) {
    // A new thread at every offset: the pattern may match anywhere.
    if (addThread(re, current, seen, 0, chars, at)) return true;
    if (at === chars.length) return false;
    const c = chars[at]!;
    const next: number[] = [];
    for (const pc of current) {
      const inst = re.program[pc]!;
      if (inst.op === 'char' && charTest(inst.test, c)) {
        if (addThread(re, next, seen, pc + 1, chars, at + 1)) return true;
      }
    }
    current = next;
  }
}
