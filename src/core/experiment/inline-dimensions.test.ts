import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CmError } from '../errors.js';
import { joinCommand } from './command-line.js';
import { extractInlineDimensions } from './inline-dimensions.js';

test('a declaration {{VAR{EXPR}}} is recorded and rewritten to {{VAR}}', () => {
  const cases: Array<[string, string, Array<[string, string]>]> = [
    [`echo {{V{["xx","yy"]}}}-{{V}}`, 'echo {{V}}-{{V}}', [['V', '["xx","yy"]']]],
    [
      'run --bs={{BS{[1,2]}}} --lr={{LR{range(3)}}}',
      'run --bs={{BS}} --lr={{LR}}',
      [
        ['BS', '[1,2]'],
        ['LR', 'range(3)'],
      ],
    ],
    [
      'echo {{A{1:3}}}{{B{[1]}}}',
      'echo {{A}}{{B}}',
      [
        ['A', '1:3'],
        ['B', '[1]'],
      ],
    ],
    ['echo {{CD}} plain', 'echo {{CD}} plain', []],
    ['', '', []],
    ['echo {{A{[1]}}} {{A{[2]}}}', 'echo {{A}} {{A}}', [['A', '[2]']]],
    // The reference reads the nearest {{ before the }}}: braces in the expression are fine.
    ['x {{D{[{1}]}}}', 'x {{D}}', [['D', '[{1}]']]],
    // A } after the declaration stays as text.
    ['echo {{V{[1]}}}}', 'echo {{V}}}', [['V', '[1]']]],
  ];
  for (const [command, rewritten, dims] of cases) {
    assert.deepEqual(extractInlineDimensions(command), { command: rewritten, dims }, command);
  }
});

test('joinCommand keeps an inline declaration findable (quoted) so that scenario 17 works', () => {
  const joined = joinCommand(['echo', '{{V{["xx","yy"]}}}-{{V}}']);
  assert.deepEqual(extractInlineDimensions(joined), {
    command: "echo '{{V}}-{{V}}'",
    dims: [['V', '["xx","yy"]']],
  });
});

test('a malformed declaration is an error naming its column', () => {
  const cases: Array<[string, RegExp]> = [
    ['echo }}}', /at column 6 of the command: "}}}" closes no "{{NAME{"/],
    ['echo {{{[1]}}}', /at column 6 of the command: the name is empty/],
    ['echo {{A B{[1]}}}', /at column 8 of the command: name "A B" may hold only/],
    ['echo {{1A{[1]}}}', /at column 8 of the command: name "1A"/],
    ['echo {{A}}}', /at column 6 of the command: no "\{" between the name and "}}}"/],
    ['echo {{A{}}}', /at column 9 of the command: the expression of A is empty/],
    ['echo {{A{[1]}}} x }}}', /at column 19 of the command: "}}}" closes no/],
  ];
  for (const [command, pattern] of cases) {
    assert.throws(
      () => extractInlineDimensions(command),
      (e: unknown) => e instanceof CmError && e.code === 'bad-input' && pattern.test(e.message),
      command,
    );
  }
});

test('extraction ends on every input, however the braces are arranged', () => {
  const pieces = ['{', '}', '{{', '}}}', 'A', '[1]', ' '];
  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let n = 0; n < 2000; n++) {
    let command = '';
    for (let k = 0; k < 12; k++) command += pieces[Math.floor(random() * pieces.length)];
    try {
      const { command: out, dims } = extractInlineDimensions(command);
      // Each declaration shortens the command; none leaves it as it was.
      if (dims.length === 0) assert.equal(out, command);
      else assert.ok(out.length < command.length, command);
    } catch (e) {
      assert.ok(e instanceof CmError, `${command}: ${String(e)}`);
    }
  }
});
