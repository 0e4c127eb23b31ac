// C library number parsing as LoadGen's config parser uses it: strtoul/strtoull with base 0
// (decimal, 0x hex, leading-0 octal) and strtod, both as "whole token" checks and as prefix parses.

const UINT64_MAX = (1n << 64n) - 1n;
const SPACE = /^[ \t\n\v\f\r]*/;
const HEX_FLOAT = /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?/;
const SPECIAL_FLOAT = /^[+-]?(inf(inity)?|nan(\([0-9A-Za-z_]*\))?)/i;
const DECIMAL_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/;

interface Scan<T> {
  value: T;
  /** Characters consumed; 0 when nothing could be converted (C sets endptr to the start). */
  end: number;
}

function digitValue(ch: string | undefined): number {
  if (ch === undefined) return -1;
  const c = ch.charCodeAt(0);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 122) return c - 87;
  if (c >= 65 && c <= 90) return c - 55;
  return -1;
}

/** strtoull(text, &end, 0): overflow gives UINT64_MAX, a minus sign negates modulo 2^64. */
export function scanUint64(text: string): Scan<bigint> {
  let i = SPACE.exec(text)?.[0].length ?? 0;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') {
    negative = text[i] === '-';
    i++;
  }
  let base = 10;
  if (text[i] === '0') {
    const hasHexDigit = digitValue(text[i + 2]) >= 0 && digitValue(text[i + 2]) < 16;
    if ((text[i + 1] === 'x' || text[i + 1] === 'X') && hasHexDigit) {
      base = 16;
      i += 2;
    } else {
      base = 8;
    }
  }
  const start = i;
  let value = 0n;
  for (; i < text.length; i++) {
    const d = digitValue(text[i]);
    if (d < 0 || d >= base) break;
    value = value * BigInt(base) + BigInt(d);
  }
  if (i === start) return { value: 0n, end: 0 };
  if (value > UINT64_MAX) return { value: UINT64_MAX, end: i };
  return { value: negative ? BigInt.asUintN(64, -value) : value, end: i };
}

function hexFloatValue(match: RegExpExecArray): number {
  const [mantissa = '', exponent] = [match[1], match[2]];
  const [whole = '', fraction = ''] = mantissa.split('.');
  const digits = `${whole}${fraction}` || '0';
  const power = (exponent === undefined ? 0 : Number(exponent.slice(1))) - 4 * fraction.length;
  const magnitude = Number(BigInt(`0x${digits}`)) * 2 ** power;
  return match[0].startsWith('-') ? -magnitude : magnitude;
}

/** strtod(text, &end): decimal and hex floats, inf, infinity and nan (any case). */
export function scanDouble(text: string): Scan<number> {
  const lead = SPACE.exec(text)?.[0].length ?? 0;
  const rest = text.slice(lead);
  const hex = HEX_FLOAT.exec(rest);
  if (hex) return { value: hexFloatValue(hex), end: lead + hex[0].length };
  const special = SPECIAL_FLOAT.exec(rest);
  if (special) {
    const negative = special[0].startsWith('-');
    const isNan = /nan/i.test(special[0]);
    const value = isNan ? NaN : negative ? -Infinity : Infinity;
    return { value, end: lead + special[0].length };
  }
  const decimal = DECIMAL_FLOAT.exec(rest);
  if (decimal) return { value: Number(decimal[0]), end: lead + decimal[0].length };
  return { value: 0, end: 0 };
}

/** The config parser's value check: the token parses completely as strtoul or as strtod. */
export function isConfigNumber(token: string): boolean {
  if (token.length === 0) return false;
  return scanUint64(token).end === token.length || scanDouble(token).end === token.length;
}
