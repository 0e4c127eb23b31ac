// An agent's string that the tools pass to the CLI as an argument of its own (tags, a name): it
// may not look like a flag (-x) or an input file (@file), or cm would read it as one.
import { z } from 'zod';

export function cliWord(what: string): z.ZodString {
  return z
    .string()
    .min(1)
    .regex(/^[^-@]/, `${what} may not start with - or @`);
}
