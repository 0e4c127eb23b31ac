// A result's uid when its producer gave none: 16 hex characters of a hash of its content (keys
// sorted), so that the same row gets the same uid on every machine and in every store.

/** FNV-1a 64-bit over the UTF-16 code units of `text`, as 16 hex digits. */
function fnv64(text: string): string {
  let h = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * prime) & mask;
  }
  return h.toString(16).padStart(16, '0');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The content uid of a row, ignoring provenance fields that a store adds. */
export function contentUid(row: Readonly<Record<string, unknown>>): string {
  const own: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row))
    if (!k.startsWith('experiment_') && k !== '_id' && k !== 'uid') own[k] = v;
  return fnv64(canonical(own));
}
