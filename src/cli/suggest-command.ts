// `cm suggest "WORDS…"`: the scripts that fit a plain-language request, best first, each with what
// it does and a ready command line. Loaded only for that command (MiniSearch and the stemmer
// with it); a command of its own because it searches every script of every registered repo.
import { parseArgs } from 'node:util';
import { CmError } from '../core/errors.js';
import { suggestScripts, type SuggestResult } from '../automations/script/suggest/suggest.js';
import { commandContext, reportCommandError, type CommandIo } from './command-error.js';

export const SUGGEST_HELP = `usage: cm suggest "WORDS…" [--limit=N] [-j]
  The scripts of every registered repo (CM and MLC formats) that fit a request in plain words,
  best first: alias, what it does, and a ready command line with the variations the words named.
  Words are matched against aliases, tags, variation and input names, names, categories and
  descriptions (or the README's first paragraph), stemmed ("extracting" is "extract"), with typos
  forgiven ("pyhton") and synonyms ("unpack" for extract, "operating system" for os). Offline.
  e.g. cm suggest "download the resnet50 model in onnx"
  --limit=N     how many (default 5)
  -j, --json    the ranked list with scores and command lines, as JSON`;

function parsed(args: readonly string[]): {
  words: string;
  limit: number;
  json: boolean;
  help: boolean;
} {
  let r;
  try {
    r = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        limit: { type: 'string' },
        json: { type: 'boolean', short: 'j' },
      },
    });
  } catch (e) {
    throw new CmError('bad-input', `cm suggest: ${(e as Error).message}`, {
      hint: 'see cm suggest --help',
    });
  }
  const { values, positionals } = r;
  const limit = values.limit === undefined ? 5 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new CmError('bad-input', `cm suggest: --limit=${values.limit} is not a positive number`, {
      hint: 'e.g. --limit=10',
    });
  return {
    words: positionals.join(' ').trim(),
    limit,
    json: values.json === true,
    help: values.help === true,
  };
}

/** The result as text: a block per suggestion, or "nothing close" with the nearest tags. */
export function suggestionsText(r: SuggestResult): string {
  if (r.suggestions.length === 0) {
    const near = r.similarTags?.length ? `; the nearest tags: ${r.similarTags.join(', ')}` : '';
    return `nothing close to "${r.query}"${near}\n  (cm find script lists every script)\n`;
  }
  return r.suggestions
    .map((s, i) => {
      const what = s.description.length > 160 ? `${s.description.slice(0, 157)}...` : s.description;
      return [
        `${i + 1}. ${s.alias}  (repo ${s.repo}, score ${s.score})`,
        ...(what ? [`   ${what.replace(/\s+/g, ' ')}`] : []),
        `   ${s.command}`,
      ].join('\n');
    })
    .join('\n')
    .concat('\n');
}

/** Runs `cm suggest ARGS`; returns the exit status. */
export async function suggestCommand(args: readonly string[], io: CommandIo): Promise<number> {
  try {
    const { words, limit, json, help } = parsed(args);
    if (help) {
      io.stdout(`${SUGGEST_HELP}\n`);
      return 0;
    }
    if (words === '')
      throw new CmError('bad-input', 'cm suggest: what are you looking for? give a few words', {
        hint: 'e.g. cm suggest "detect the operating system"',
      });
    const context = commandContext(io, json);
    let result: SuggestResult;
    try {
      result = await suggestScripts(context, words, { limit });
    } finally {
      context.index.save();
    }
    io.stdout(
      json ? `${JSON.stringify({ return: 0, ...result }, null, 2)}\n` : suggestionsText(result),
    );
    return 0;
  } catch (e) {
    return reportCommandError(e, io);
  }
}
