// Compares what a command printed with what the README shows, modulo what differs between
// machines and runs: uids and commit hashes, versions and timings (any dotted number), pids,
// and `...` (or `…`), which stands for any text within a line, or for any number of lines
// (zero included) when it is the whole line.

const RULES = [
  [/\b[0-9a-f]{40}\b/g, '<sha>'],
  [/\b[0-9a-f]{16}\b/g, '<uid>'],
  [/\d+(?:\.\d+)+/g, '<n.n>'],
  [/\bpid \d+/g, 'pid <n>'],
  [/\b\d+ ?ms\b/g, '<n> ms'],
  [/"ms": \d+/g, '"ms": <n>'],
];

export function normalize(line) {
  let out = line.replace(/\s+$/, '');
  for (const [re, to] of RULES) out = out.replace(re, to);
  return out;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WILD = /\.\.\.|…/;

function lineMatcher(expected) {
  const n = normalize(expected);
  if (/^\s*(\.\.\.|…)\s*$/.test(n)) return 'any-lines';
  if (!WILD.test(n)) return (actual) => actual === n;
  const re = new RegExp(
    `^${n
      .split(/\.\.\.|…/)
      .map(escape)
      .join('.*?')}$`,
  );
  return (actual) => re.test(actual);
}

/** True when the actual lines match the expected ones (both raw, normalized here). */
export function linesMatch(expected, actual) {
  const ms = expected.map(lineMatcher);
  const as = actual.map(normalize);
  const memo = new Map();
  const go = (i, j) => {
    const key = i * (as.length + 1) + j;
    if (memo.has(key)) return memo.get(key);
    let ok;
    if (i === ms.length) ok = j === as.length;
    else if (ms[i] === 'any-lines') ok = go(i + 1, j) || (j < as.length && go(i, j + 1));
    else ok = j < as.length && ms[i](as[j]) && go(i + 1, j + 1);
    memo.set(key, ok);
    return ok;
  };
  return go(0, 0);
}

/** Drops blank lines at both ends (the README's blocks never show them). */
export function trimBlank(lines) {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a].trim() === '') a++;
  while (b > a && lines[b - 1].trim() === '') b--;
  return lines.slice(a, b);
}
