// What counts as a number in a result: a finite JS number, or a string that spells a decimal
// number (CMX stores every value as a string). Shared by stats, Pareto, diff and table sorting.

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The value as a finite number, or undefined when it is not one. Strings must spell a plain
 * decimal (surrounding spaces allowed): "0x10", "Infinity", "" and "1,5" are not numbers.
 */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!DECIMAL.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
