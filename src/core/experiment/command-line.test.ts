import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinCommand, shellQuote } from './command-line.js';

test('words with spaces, quotes or a backslash are single-quoted; others pass to bash as CM passes them', () => {
  const cases: Array<[string[], string]> = [
    [['echo', 'a b'], "echo 'a b'"],
    [['bash', '-c', 'echo $FOO'], "bash -c 'echo $FOO'"],
    [['echo', '{{CD}}'], 'echo {{CD}}'],
    [['echo', '{{A}}-{{B}}'], 'echo {{A}}-{{B}}'],
    [
      ['python', 'train.py', '--lr=0.1', '--out=a/b.json', 'x@y', '50%', 'a,b', 'k:v'],
      'python train.py --lr=0.1 --out=a/b.json x@y 50% a,b k:v',
    ],
    [['echo', "it's"], "echo 'it'\\''s'"],
    [['echo', ''], "echo ''"],
    [['echo', '$A', '&&', 'pwd', '>', 'out'], 'echo $A && pwd > out'],
    [['echo', '{{V{["xx","yy"]}}}-{{V}}'], `echo '{{V{["xx","yy"]}}}-{{V}}'`],
    [['echo', '{{not a marker}}'], "echo '{{not a marker}}'"],
    [['echo', 'a\\b'], "echo 'a\\b'"],
    [['echo', 'line\nbreak'], "echo 'line\nbreak'"],
    [[], ''],
  ];
  for (const [tokens, expected] of cases)
    assert.equal(joinCommand(tokens), expected, JSON.stringify(tokens));
});

test('a quoted token reads back as the same single word in bash semantics', () => {
  // Undo POSIX single quoting by hand: '...' runs and \' between them.
  const unquote = (s: string): string =>
    s.replace(/'([^']*)'|\\'/g, (m, inner: string | undefined) => inner ?? "'");
  for (const token of ["it's", "''", "a'b'c", ' ', 'x y z', '$HOME', '"q"']) {
    assert.equal(unquote(shellQuote(token)), token, token);
  }
});
