// The experiment tools of `cm mcp`: query_experiments (read-only, cm show experiment) and
// run_experiment (cme; only with bare --allow-run), with their strict input schemas.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { describePolicy } from './policy.js';
import { queryExperiments } from './query-experiments.js';
import { runExperiment } from './run-experiment.js';
import { progressOf, type ToolEnv } from './script-tools.js';
import { cliWord } from './cli-word.js';
import { guarded } from './tool-result.js';

const nameSchema = cliWord('name').describe(
  'the experiment\'s alias or uid (or "repo:name"), as cm show experiment NAME',
);
const expTagsSchema = cliWord('tags').describe('experiment tags, comma-separated: "my,sweep"');
const objective = z
  .object({
    key: z
      .string()
      .min(1)
      .regex(/^[^,]+$/, 'a key may not hold a comma'),
    goal: z.enum(['min', 'max']),
  })
  .strict();

const queryInput = z
  .object({
    name: nameSchema.optional(),
    tags: expTagsSchema
      .optional()
      .describe('only experiments with all these tags; with neither name nor tags: every one'),
    run: z
      .string()
      .min(1)
      .optional()
      .describe('only this run: its folder name (e.g. "2025-01-31.10-00-00.000000") or path'),
    derive: z
      .array(z.string().min(1))
      .optional()
      .describe('new columns first, each "NAME = EXPR" (cm show experiment --derive)'),
    filter: z
      .string()
      .min(1)
      .optional()
      .describe(
        'keep rows where this expression holds (--where): keys by name, `a.b` or r[\'a.b\'] for dotted keys, + - * / % **, comparisons, && || !, in, ?:; e.g. "acc > 0.8 && BS >= 2"',
      ),
    pareto: z
      .union([z.string().min(1), z.array(objective).min(1)])
      .optional()
      .describe(
        'keep the Pareto front (ties kept; rows missing an objective excluded): "latency.ms:min,acc:max", or [{"key": "latency.ms", "goal": "min"}, {"key": "acc", "goal": "max"}]',
      ),
    limit: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .optional()
      .describe('at most this many rows returned (default 100); total gives how many matched'),
  })
  .strict();

const exploreValue = z.union([
  z.string().min(1),
  z.array(z.union([z.string(), z.number(), z.boolean()])).min(1),
]);

const runInput = z
  .object({
    name: nameSchema.optional(),
    tags: expTagsSchema
      .optional()
      .describe('experiment tags (found by them, made with them when none has them)'),
    command: z
      .array(z.string())
      .min(1)
      .describe(
        'the command, one word per item (the words after -- of cme): {{VAR}} is replaced per step and explored values are also exported as env; the step runs in its own folder, and a JSON object it writes to cm-output.json there is its result. cme joins the words for bash: a word with spaces, quotes or a backslash stays one argument, a word without keeps its shell meaning ($VAR, &&)',
      ),
    explore: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name'), exploreValue)
      .optional()
      .describe(
        'dimensions: VAR -> a list ([1, 2, 4]) or a text as cme takes it ("range(1,4)", "1:3:1", "[2**i for i in range(0,3)]"); the points are their product',
      ),
    env: z.record(z.string()).optional().describe('env of every step: {"KEY": "value"}'),
    repeat: z.number().int().min(1).max(1000).optional().describe('runs of each point'),
    parallel: z.number().int().min(1).max(64).optional().describe('steps run at once'),
    fail_fast: z.boolean().optional().describe('stop at the first failing step'),
  })
  .strict();

/** Registers query_experiments and run_experiment. */
export function registerExperimentTools(server: McpServer, te: ToolEnv): void {
  server.registerTool(
    'query_experiments',
    {
      description:
        'Recorded experiment results as rows (cm show experiment -j): by name/tags/run, with derived columns, a filter expression and the Pareto front.',
      inputSchema: queryInput,
      annotations: { readOnlyHint: true },
    },
    (a, extra) =>
      guarded(() => queryExperiments(a, { env: te.env, cwd: te.cwd, signal: extra.signal })),
  );
  server.registerTool(
    'run_experiment',
    {
      description: `Run an experiment as cme (cm run experiment): the command over the explored points, each result recorded; output streamed as progress; answers the run's rows. ${describePolicy(te.policy)}.`,
      inputSchema: runInput,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    (a, extra) => guarded(() => runExperiment(a, te, extra.signal, progressOf(extra))),
  );
}
