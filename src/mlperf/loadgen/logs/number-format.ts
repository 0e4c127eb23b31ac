// Number formatting of LoadGen's logs (spec §4.1): C's `%g` (the default C++ stream format of a
// double), fixed `%.Nf` strings and 0/1 booleans, reproduced exactly from the binary value of the
// double (round half to even on exact ties, as glibc does) rather than from JavaScript's own printing.

/** A finite non-negative double as an exact decimal: value = digits / 10^scale. */
interface ExactDecimal {
  readonly digits: bigint;
  readonly scale: number;
}

/** Decomposes a finite, non-negative double into its exact decimal expansion (every double has one). */
function exactDecimalOf(value: number): ExactDecimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  const biasedExponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = biasedExponent === 0 ? fraction : fraction | (1n << 52n);
  const exponent = (biasedExponent === 0 ? 1 : biasedExponent) - 1075;
  if (exponent >= 0) {
    return { digits: mantissa << BigInt(exponent), scale: 0 };
  }
  // m / 2^k = m * 5^k / 10^k
  return { digits: mantissa * 5n ** BigInt(-exponent), scale: -exponent };
}

/** Drops `count` trailing decimal digits of `digits`, rounding half to even. */
function roundOffDigits(digits: bigint, count: number): bigint {
  if (count <= 0) {
    return digits * 10n ** BigInt(-count);
  }
  const divisor = 10n ** BigInt(count);
  const quotient = digits / divisor;
  const twiceRemainder = (digits % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)) {
    return quotient + 1n;
  }
  return quotient;
}

/** Writes `units / 10^decimals` with exactly `decimals` digits after the point. */
function placePoint(units: bigint, decimals: number): string {
  if (decimals === 0) {
    return units.toString();
  }
  const text = units.toString().padStart(decimals + 1, '0');
  return `${text.slice(0, -decimals)}.${text.slice(-decimals)}`;
}

function specialText(value: number): string | undefined {
  if (Number.isNaN(value)) {
    return 'nan';
  }
  if (value === Infinity) {
    return 'inf';
  }
  if (value === -Infinity) {
    return '-inf';
  }
  return undefined;
}

function signOf(value: number): string {
  return value < 0 || Object.is(value, -0) ? '-' : '';
}

/** C's `%.{decimals}f` (LoadGen's `DoubleToString`, 2 decimals by default): exact value, ties to even. */
export function formatFixed(value: number, decimals: number): string {
  const special = specialText(value);
  if (special !== undefined) {
    return special;
  }
  const exact = exactDecimalOf(Math.abs(value));
  return signOf(value) + placePoint(roundOffDigits(exact.digits, exact.scale - decimals), decimals);
}

/** The decimal exponent and `precision` significant digits of a positive exact decimal (as `%e`). */
function toSignificant(
  exact: ExactDecimal,
  precision: number,
): { units: bigint; exponent: number } {
  const length = exact.digits.toString().length;
  let exponent = length - 1 - exact.scale;
  let units = roundOffDigits(exact.digits, length - precision);
  if (units === 10n ** BigInt(precision)) {
    units /= 10n;
    exponent += 1;
  }
  return { units, exponent };
}

function stripTrailingZeros(text: string): string {
  if (!text.includes('.')) {
    return text;
  }
  return text.replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * C's `%.{precision}g` (default 6, as C++ streams print a double): `%e` style when the exponent
 * is below -4 or at least the precision, else `%f`; trailing zeros and a trailing point removed;
 * the exponent carries a sign and at least two digits (`1.23457e+06`, `1e-05`).
 */
export function formatG(value: number, precision = 6): string {
  const special = specialText(value);
  if (special !== undefined) {
    return special;
  }
  const significant = precision === 0 ? 1 : precision;
  const sign = signOf(value);
  if (value === 0) {
    return `${sign}0`;
  }
  const { units, exponent } = toSignificant(exactDecimalOf(Math.abs(value)), significant);
  if (exponent < -4 || exponent >= significant) {
    const mantissa = stripTrailingZeros(placePoint(units, significant - 1));
    const exponentDigits = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${mantissa}e${exponent < 0 ? '-' : '+'}${exponentDigits}`;
  }
  return sign + stripTrailingZeros(formatFixed(Math.abs(value), significant - 1 - exponent));
}

/** Booleans as the summary prints them (C++ stream default): `0` or `1`. */
export function formatFlag(value: boolean): string {
  return value ? '1' : '0';
}
