// Reads the README's fenced blocks for the doc test: `console` blocks are sessions (`$ command`
// lines, each followed by the output it must print), and a code block whose first line is a
// comment naming a file under examples/ (`// examples/tour/library.mjs`, `# examples/...`) must
// be that file's content.

/** Every fenced block: {lang, line (1-based, of the fence), lines}. */
export function fencedBlocks(text) {
  const blocks = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    blocks.push({ lang: open[1], line: start + 1, lines: body });
  }
  return blocks;
}

/**
 * The commands of a console block: {cmd, line, expected: [lines]}. A command line starts with
 * `$ `; one ending in `\` continues on the next line. Lines before the first command are an error
 * (a block that prints without a command is not a session).
 */
export function sessionOf(block) {
  const commands = [];
  for (let i = 0; i < block.lines.length; i++) {
    const l = block.lines[i];
    if (l.startsWith('$ ')) {
      let cmd = l.slice(2);
      const line = block.line + 1 + i;
      while (cmd.endsWith('\\') && i + 1 < block.lines.length)
        cmd = `${cmd.slice(0, -1)}\n${block.lines[++i]}`;
      commands.push({ cmd, line, expected: [] });
    } else if (commands.length === 0) {
      throw new Error(
        `README.md:${block.line + 1 + i}: console block has output before its first "$ " command`,
      );
    } else commands.at(-1).expected.push(l);
  }
  return commands;
}

/** The file a code block shows (first-line comment naming examples/...), or undefined. */
export function shownFile(block) {
  const m = /^(?:\/\/|#)\s*(examples\/\S+)\s*$/.exec(block.lines[0] ?? '');
  return m ? { file: m[1], body: block.lines.slice(1).join('\n') } : undefined;
}
