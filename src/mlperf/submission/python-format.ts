// Python's `format(x, '.Nf')` for finite doubles: the exact binary value rounded half-to-even,
// which JavaScript's toFixed (ties away from zero) does not give on exact midpoints.

/** `x` with `digits` decimals as Python prints it with `'{:.<digits>f}'`. */
export function formatFixedPython(x: number, digits: number): string {
  if (!Number.isFinite(x)) {
    return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
  }
  const negative = x < 0 || Object.is(x, -0);
  // toFixed(100) is the exact decimal expansion for every double that has at most 100 decimals,
  // which covers every value whose rounding at `digits` can be a tie.
  const exact = Math.abs(x).toFixed(100);
  const [intPart = '0', fracPart = ''] = exact.split('.');
  const kept = BigInt(intPart + fracPart.slice(0, digits));
  const rest = fracPart.slice(digits);
  const first = rest.charCodeAt(0) - 48;
  const isTail = /[1-9]/.test(rest.slice(1));
  const roundsUp = first > 5 || (first === 5 && (isTail || kept % 2n === 1n));
  const scaled = (roundsUp ? kept + 1n : kept).toString().padStart(digits + 1, '0');
  const whole = scaled.slice(0, scaled.length - digits);
  const frac = scaled.slice(scaled.length - digits);
  return (negative ? '-' : '') + (digits > 0 ? `${whole}.${frac}` : whole);
}

/** `x` as Python's `str(float(x))` writes it for the values CM puts in files: 1 → "1.0", 0.5 → "0.5". */
export function formatFloatPython(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}
