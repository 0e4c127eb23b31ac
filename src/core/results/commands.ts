// The commands a result page offers to copy (gui.md §5.5 item 3): the replay of a result, and the
// `cm run experiment` command line that made its run, rebuilt from the run's cm-input.json.
import { commandLine, flagsOf } from '../shell-words.js';

/** The `cm run experiment` command line that made a run, from its cm-input.json. */
export function originalCommand(input: Record<string, unknown>): string | undefined {
  if (input['action'] !== 'run') return undefined;
  const words = ['cm', 'run', 'experiment'];
  const skip = new Set(['action', 'automation', 'unparsed_cmd', 'cmd', 'out', 'artifact']);
  if (typeof input['artifact'] === 'string') words.push(input['artifact']);
  for (const [k, v] of Object.entries(input)) if (!skip.has(k)) flagsOf(k, v, words);
  const command = input['unparsed_cmd'];
  if (Array.isArray(command) && command.length > 0) words.push('--', ...command.map(String));
  return commandLine(words);
}

/** `cm replay experiment NAME --dir=RUN [--uid=UID]`, quoted for a shell. */
export function replayCommand(name: string, dir: string, uid?: string): string {
  return commandLine([
    'cm',
    'replay',
    'experiment',
    name,
    `--dir=${dir}`,
    ...(uid ? [`--uid=${uid}`] : []),
  ]);
}
